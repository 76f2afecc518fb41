/**
 * The budget through a change at its edges: which limit an `up` keeps when the new one
 * leaves only a small pool, which refusal a change gets at the exact limit, and what is
 * read back from a deployed plan. Written from the mutation survivors of issue 16
 * (docs/MUTATION.md).
 */
import * as assert from "assert";
import { planCapacity } from "../../lib/capacity";
import { DeployedPlan, engineDowngrade, planTransition, readDeployedPlan, TransitionInput, TransitionPlan } from "../../lib/transition";
import { prodDeployed, prodSettings } from "../support/rollout";

function ok(result: ReturnType<typeof planTransition>): TransitionPlan {
    assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.problems));
    if (!result.ok) throw new Error("unreachable");
    return result.plan;
}

function refusal(deployed: DeployedPlan | undefined, next: TransitionInput): string[] {
    const result = planTransition(deployed, next);
    assert.ok(!result.ok, JSON.stringify(result));
    return result.ok ? [] : result.problems.map((p) => `${p.key} = ${p.given}: ${p.allowed}`);
}

/** The fields a reviewer reads in the plan of one `up`. */
const summary = (p: TransitionPlan) => [p.poolPerTask, p.dbMaxConnections, p.dbInstanceClass, p.liveMaxConnections];

describe("the budget through a change at its edges (lib/transition)", () => {
    it("settings that do not fit at rest are refused with the at-rest problems, first deploy or not", () => {
        const unfit: TransitionInput = { ...prodSettings, dbPoolMinPerTask: 30 };
        const atRest = planCapacity(unfit);
        assert.ok(!atRest.ok);
        if (atRest.ok) return;
        const expected = atRest.problems.map((p) => `${p.key} = ${p.given}: ${p.allowed}`);
        assert.match(expected[0], /^webfleet:dbMaxConnections = 410: the connection budget does not fit: /);
        assert.deepStrictEqual(refusal(undefined, unfit), expected);
        assert.deepStrictEqual(refusal(prodDeployed, unfit), expected);
    });

    it("the first deploy sets everything at once and has nothing to say", () => {
        assert.deepStrictEqual(ok(planTransition(undefined, prodSettings)), {
            firstDeploy: true,
            poolPerTask: 25,
            targetPoolPerTask: 25,
            dbMaxConnections: 410,
            dbInstanceClass: "db.t4g.medium",
            liveMaxConnections: 410,
            peakDuringChange: 410,
            peakAtRest: 410,
            remainingUps: 0,
            waitsForReboot: false,
            notes: [],
        });
    });

    describe("lowering max_connections: the lower limit now when it leaves a usable pool, else the deployed one held", () => {
        // From 850 (pools of P, 8 tasks) back to prod's 410: at 410 the old tasks hold 8 × P + 10,
        // leaving (400 − 8 × P) / 8 per new task.
        const from = (pool: number): DeployedPlan => ({ ...prodDeployed, poolPerTask: pool, dbMaxConnections: 850, dbMaxConnectionsLive: 850 });

        it("old pools of 49 leave 1 per new task at 410, below dbPoolMinPerTask 5: 850 is held and pools go to 25", () => {
            const plan = ok(planTransition(from(49), prodSettings));
            assert.deepStrictEqual(summary(plan), [25, 850, "db.t4g.medium", 850]);
            assert.strictEqual(plan.peakDuringChange, 8 * 49 + 8 * 25 + 10);
            assert.deepStrictEqual(plan.notes, ["max_connections stays 850 for this up: the deployed pools (49 per task) do not fit 410 yet; this up shrinks them, the next one lowers the limit."]);
            assert.strictEqual(plan.remainingUps, 1);
        });

        it("old pools of 40 leave 10 per new task at 410, at least dbPoolMinPerTask: 410 now, with pools of 10 on the way to 25", () => {
            const plan = ok(planTransition(from(40), prodSettings));
            assert.deepStrictEqual(summary(plan), [10, 410, "db.t4g.medium", 410]);
            assert.strictEqual(plan.peakDuringChange, 8 * 40 + 8 * 10 + 10);
            assert.deepStrictEqual(plan.notes, [
                "pool per task 10 this up, 25 when the change is complete: a bigger pool now could exceed 410 connections while old and new tasks run side by side.",
            ]);
            // At the edge: 8 × 5 new connections fit beside old pools of 45 (8 × 45 + 40 + 10 = 410).
            assert.deepStrictEqual(summary(ok(planTransition(from(45), prodSettings))), [5, 410, "db.t4g.medium", 410]);
            assert.deepStrictEqual(summary(ok(planTransition(from(46), prodSettings))), [25, 850, "db.t4g.medium", 850]);
        });

        it("the same max_connections on a new class is not a lowering: the class changes now, even with a pool of 1", () => {
            const deployed: DeployedPlan = { ...prodDeployed, poolPerTask: 49 };
            const plan = ok(planTransition(deployed, { ...prodSettings, dbInstanceClass: "db.t4g.large" }));
            assert.deepStrictEqual(summary(plan), [1, 410, "db.t4g.large", 410]);
            assert.deepStrictEqual(plan.notes, [
                "pool per task 1 this up, 25 when the change is complete: a bigger pool now could exceed 410 connections while old and new tasks run side by side.",
            ]);
        });
    });

    it("a higher max_connections waiting for a reboot: the whole note, with what the app does meanwhile", () => {
        const plan = ok(planTransition(prodDeployed, { ...prodSettings, dbInstanceClass: "db.t4g.large", dbMaxConnections: 850 }));
        assert.strictEqual(
            plan.notes[0],
            "max_connections 850 waits for a reboot (static parameter); the budget keeps using 410 until then. Reboot the instance, check that SHOW " +
                "max_connections says 850, then `pulumi config set dbMaxConnectionsConfirmed 850` and run `pulumi up` again. Meanwhile each task " +
                "reads SHOW max_connections at start and never opens more than its share of the live limit.",
        );
    });

    it("a deployed plan that does not record its engine version allows any version", () => {
        const unknown: DeployedPlan = { ...prodDeployed, dbEngineVersion: undefined };
        assert.strictEqual(engineDowngrade(unknown, { dbEngineVersion: "15" }), undefined);
        assert.deepStrictEqual(summary(ok(planTransition(unknown, { ...prodSettings, dbEngineVersion: "15" }))), [25, 410, "db.t4g.medium", 410]);
    });

    describe("a ceiling that needs the higher max_connections, at the exact limit", () => {
        // Prod at live 410, dbMaxConnections 5000 written but not yet live; 200 % deploys.
        const raise = (maxReplicas: number): TransitionInput => ({ ...prodSettings, maxReplicas, dbMaxConnections: 5000 });

        it("201 tasks need 402 × 1 + 10 = 412 > 410: keep maxReplicas until the reboot", () => {
            assert.deepStrictEqual(refusal(prodDeployed, raise(201)), [
                "webfleet:maxReplicas = 201: peak tasks 402 need more connections than the database allows until a reboot applies max_connections 5000 " +
                    "(live: 410; 402 tasks × 1 + reserved 10 = 412). Keep maxReplicas at 8 for now: run `pulumi up` with the new dbMaxConnections or " +
                    "dbInstanceClass, reboot the instance, set dbMaxConnectionsConfirmed, then raise maxReplicas.",
            ]);
        });

        it("200 tasks need exactly 410 at rest, so the live limit carries them; only the rollout beside old pools of 26 does not", () => {
            // Pools of 25: 8 × 25 + 200 × 1 + 10 = 410, a step of pool 1.
            assert.deepStrictEqual(summary(ok(planTransition(prodDeployed, raise(200)))), [1, 5000, "db.t4g.medium", 410]);
            const deployed: DeployedPlan = { ...prodDeployed, poolPerTask: 26 };
            // 8 × 26 + 10 = 218: beside the old tasks, 192 new tasks of 1 fit within 410, so a ceiling of 192.
            assert.deepStrictEqual(refusal(deployed, raise(200)), [
                "webfleet:maxReplicas = 200: this change cannot roll out within the live limit 410: the deployed 8 tasks × pool 26 + reserved 10 = 218 " +
                    "connections, plus up to 200 new tasks with even 1 connection each, is too many. Raise maxReplicas to at most 192 in this `up`, and to 200 in the next.",
            ]);
            // The advice is the largest ceiling that rolls out: 192 does (8 × 26 + 192 × 1 + 10 = 410), 193 does not.
            assert.deepStrictEqual(summary(ok(planTransition(deployed, raise(192)))), [1, 5000, "db.t4g.medium", 410]);
            assert.ok(!planTransition(deployed, raise(193)).ok);
        });
    });
});

describe("reading the deployed plan back: every required field (lib/transition readDeployedPlan)", () => {
    const written = { maxReplicas: 8, poolPerTask: 25, dbMaxConnections: 850, dbMaxConnectionsLive: 410, dbReservedConnections: 10, deploymentMaximumPercent: 150, dbInstanceClass: "db.t4g.large", dbEngineVersion: "17" };

    for (const key of ["maxReplicas", "poolPerTask", "dbMaxConnections", "dbReservedConnections"] as const) {
        it(`an output without ${key} is an error naming it, not a zero`, () => {
            const { [key]: _dropped, ...rest } = written;
            assert.throws(() => readDeployedPlan(rest), new RegExp(`^Error: the stack's last capacityPlan output has ${key} = undefined, expected a whole number; cannot plan the change from it$`));
        });
    }

    it("the optional fields may be missing: the live limit is then the group's, the percent and names unknown", () => {
        const { dbMaxConnectionsLive: _l, deploymentMaximumPercent: _p, dbInstanceClass: _c, dbEngineVersion: _e, ...required } = written;
        assert.deepStrictEqual(readDeployedPlan(required), {
            ...required,
            dbMaxConnectionsLive: 850,
            deploymentMaximumPercent: undefined,
            dbInstanceClass: undefined,
            dbEngineVersion: undefined,
        });
    });
});
