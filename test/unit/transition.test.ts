import * as assert from "assert";
import * as fc from "fast-check";
import { planCapacity } from "../../lib/capacity";
import {
    asDeployed,
    capacityOutput,
    DeployedPlan,
    MAX_STEPS,
    planTransition,
    readDeployedPlan,
    TransitionInput,
    TransitionPlan,
    trustedLiveLimit,
    worstDuringRollout,
} from "../../lib/transition";
import { bruteForceWorst, prodDeployed, prodSettings } from "../support/rollout";
import { propertyRuns } from "../support/property-runs";

function ok(result: ReturnType<typeof planTransition>): TransitionPlan {
    assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.problems));
    if (!result.ok) throw new Error("unreachable");
    return result.plan;
}

/** Settings in a range small enough for the brute force, wide enough to hit every branch. */
const settingsArb = fc
    .record({
        replicas: fc.integer({ min: 1, max: 20 }),
        extra: fc.integer({ min: 0, max: 20 }),
        deploymentMaximumPercent: fc.integer({ min: 101, max: 200 }),
        dbMaxConnections: fc.integer({ min: 20, max: 3000 }),
        dbReservedConnections: fc.integer({ min: 3, max: 30 }),
        dbPoolMaxPerTask: fc.integer({ min: 1, max: 100 }),
        minShare: fc.integer({ min: 1, max: 20 }),
        dbInstanceClass: fc.constantFrom("db.t4g.medium", "db.t4g.large", "db.m7g.large"),
        dbEngineVersion: fc.constantFrom("15", "16", "17"),
    })
    .map(({ replicas, extra, minShare, ...rest }): TransitionInput => ({
        ...rest,
        replicas,
        maxReplicas: replicas + extra,
        dbPoolMinPerTask: Math.min(minShare, rest.dbPoolMaxPerTask),
        dbMaxConnectionsConfirmed: undefined,
    }))
    // A deploy at the ceiling must be able to start a task (else ECS stalls and no model helps).
    .filter((s) => Math.floor((s.maxReplicas * s.deploymentMaximumPercent) / 100) > s.maxReplicas && planCapacity(s).ok);

/** A deployed plan as this program leaves it: the first deploy of some settings, maybe mid-change towards others. */
const deployedArb = fc.tuple(settingsArb, settingsArb, fc.boolean()).map(([first, second, midChange]) => {
    const initial = ok(planTransition(undefined, first));
    let deployed = asDeployed(first, initial);
    if (midChange && second.dbEngineVersion >= first.dbEngineVersion) {
        const stepped = planTransition(deployed, second);
        if (stepped.ok) deployed = asDeployed(second, stepped.plan);
    }
    return deployed;
});

/** New settings that do not raise the reservation nor downgrade the engine (those may be refused). */
function comparable(deployed: DeployedPlan, next: TransitionInput): TransitionInput {
    return {
        ...next,
        dbReservedConnections: Math.min(next.dbReservedConnections, deployed.dbReservedConnections),
        dbEngineVersion: deployed.dbEngineVersion ?? next.dbEngineVersion,
    };
}

/** Changes refused because a raised ceiling cannot roll out (counted, to report how rare they are). */
let refused = 0;

/** Runs `up` after `up` with the same settings, rebooting (and confirming) whenever one waits. */
function converge(deployed: DeployedPlan, next: TransitionInput): { plans: TransitionPlan[]; deployed: DeployedPlan[] } {
    const first = planTransition(deployed, next);
    if (!first.ok) {
        // The only refusals left once reservation and engine are comparable: a ceiling or a
        // deploymentMaximumPercent raised beyond what the live limit carries in one rollout.
        // The problem names the key and says how to get there; skip the case.
        const keys = first.problems.map((p) => p.key);
        const percentUp = next.deploymentMaximumPercent > (deployed.deploymentMaximumPercent ?? 200);
        assert.ok(keys.length === 1 && ["webfleet:deploymentMaximumPercent", "webfleet:maxReplicas"].includes(keys[0]), JSON.stringify({ deployed, next, first }));
        assert.ok(percentUp || next.maxReplicas > deployed.maxReplicas);
        refused += 1;
        fc.pre(false);
    }
    const plans: TransitionPlan[] = [];
    const states: DeployedPlan[] = [deployed];
    let current = deployed;
    let confirmed: number | undefined;
    for (let up = 0; up <= MAX_STEPS; up += 1) {
        const plan = ok(planTransition(current, { ...next, dbMaxConnectionsConfirmed: confirmed }));
        plans.push(plan);
        current = asDeployed(next, plan);
        states.push(current);
        confirmed = plan.waitsForReboot ? plan.dbMaxConnections : undefined;
        if (plan.poolPerTask === plan.targetPoolPerTask && plan.dbMaxConnections === next.dbMaxConnections && plan.dbInstanceClass === next.dbInstanceClass) {
            break;
        }
    }
    return { plans, deployed: states };
}

describe("the budget through a change (lib/transition)", () => {
    describe("the three failures of the old logic, reproduced and fixed (prod: max_connections 410, 10 reserved)", () => {
        /** The old program: every `up` sets the at-rest pool of the new settings, whatever runs now. */
        const oldPool = (next: TransitionInput): number => {
            const plan = planCapacity(next);
            assert.ok(plan.ok);
            return plan.ok ? plan.plan.poolPerTask : 0;
        };
        const cases: Array<{ name: string; next: TransitionInput; rollout: { oldTasks: number; desired: number }; oldPeak: number }> = [
            {
                name: "dbInstanceClass t4g.medium → t4g.large (max_connections 850 waits for a reboot), 6 tasks mid-deploy",
                next: { ...prodSettings, dbInstanceClass: "db.t4g.large", dbMaxConnections: 850 },
                rollout: { oldTasks: 6, desired: 6 },
                oldPeak: 460,
            },
            {
                name: "maxReplicas 8 → 6 at 8 desired",
                next: { ...prodSettings, maxReplicas: 6 },
                rollout: { oldTasks: 8, desired: 8 },
                oldPeak: 474,
            },
            {
                name: "autoscaling off (maxReplicas → replicas 4) at 8 desired",
                next: { ...prodSettings, maxReplicas: 4 },
                rollout: { oldTasks: 8, desired: 8 },
                oldPeak: 610,
            },
        ];
        for (const c of cases) {
            it(`${c.name}: old logic ${c.oldPeak} > 410, new logic ≤ 410`, () => {
                const shape = { oldPool: 25, oldTasks: c.rollout.oldTasks, desired: c.rollout.desired, cap: c.rollout.desired * 2, reserved: 10 };
                const before = worstDuringRollout({ ...shape, newPool: oldPool(c.next) });
                assert.strictEqual(before, c.oldPeak);
                assert.ok(before > 410, "the old logic exceeds the live limit");

                const plan = ok(planTransition(prodDeployed, c.next));
                assert.strictEqual(plan.liveMaxConnections, 410, "the live limit stays 410 until a reboot is confirmed");
                assert.ok(plan.peakDuringChange <= 410, `peak ${plan.peakDuringChange}`);
                assert.ok(worstDuringRollout({ ...shape, newPool: plan.poolPerTask }) <= 410);
                assert.ok(bruteForceWorst(prodDeployed, c.next, plan.poolPerTask) <= 410);
                assert.ok(plan.poolPerTask < plan.targetPoolPerTask && plan.remainingUps >= 1, JSON.stringify(plan));
            });
        }

        it("maxReplicas 8 → 6: 25 this up, 33 the next (2 ups, no staging by hand)", () => {
            const { plans } = converge(prodDeployed, { ...prodSettings, maxReplicas: 6 });
            assert.deepStrictEqual(plans.map((p) => p.poolPerTask), [25, 33]);
            assert.strictEqual(plans[0].remainingUps, 1);
            assert.ok(plans.every((p) => p.peakDuringChange <= 410));
        });

        it("maxReplicas 8 → 10 (the README's example): pool 25 → 20 in one step, peak 8 × 25 + 10 × 20 + 10 = 410", () => {
            const { plans } = converge(prodDeployed, { ...prodSettings, maxReplicas: 10 });
            assert.deepStrictEqual(plans.map((p) => [p.poolPerTask, p.peakDuringChange, p.remainingUps]), [[20, 410, 0]]);
        });

        it("autoscaling off: 25 this up, 50 the next", () => {
            const { plans } = converge(prodDeployed, { ...prodSettings, maxReplicas: 4 });
            assert.deepStrictEqual(plans.map((p) => p.poolPerTask), [25, 50]);
        });

        it("class change: the pool waits for the reboot, the output says so, then reaches 50", () => {
            const next = { ...prodSettings, dbInstanceClass: "db.t4g.large", dbMaxConnections: 850 };
            const first = ok(planTransition(prodDeployed, next));
            assert.deepStrictEqual([first.poolPerTask, first.dbMaxConnections, first.liveMaxConnections, first.waitsForReboot], [25, 850, 410, true]);
            assert.match(first.notes.join("\n"), /waits for a reboot.*dbMaxConnectionsConfirmed 850/s);
            assert.strictEqual(first.remainingUps, 1);
            // Not confirmed: the next up changes nothing and still waits.
            const again = ok(planTransition(asDeployed(next, first), next));
            assert.deepStrictEqual([again.poolPerTask, again.waitsForReboot], [25, true]);
            // Confirmed after the reboot: 50, and 8 × 50 + 8 × 25 + 10 = 610 ≤ 850.
            const after = ok(planTransition(asDeployed(next, again), { ...next, dbMaxConnectionsConfirmed: 850 }));
            assert.deepStrictEqual([after.poolPerTask, after.liveMaxConnections, after.peakDuringChange, after.waitsForReboot], [50, 850, 610, false]);
        });
    });

    describe("lowering the limit waits until the pools have shrunk", () => {
        it("t4g.large → t4g.medium: keeps 850 and the large class while pools shrink to 25, then lowers", () => {
            const large: DeployedPlan = { ...prodDeployed, poolPerTask: 50, dbMaxConnections: 850, dbMaxConnectionsLive: 850, dbInstanceClass: "db.t4g.large" };
            const { plans } = converge(large, prodSettings);
            assert.deepStrictEqual(
                plans.map((p) => [p.poolPerTask, p.dbMaxConnections, p.dbInstanceClass]),
                [
                    [25, 850, "db.t4g.large"],
                    [25, 410, "db.t4g.medium"],
                ],
            );
            assert.match(plans[0].notes.join("\n"), /stays 850 and the instance class stays db.t4g.large/);
        });
    });

    describe("what a confirmation may do", () => {
        it("only a confirmation equal to the deployed parameter group's value raises the trusted limit", () => {
            const pending: DeployedPlan = { ...prodDeployed, dbMaxConnections: 850, dbMaxConnectionsLive: 410 };
            assert.strictEqual(trustedLiveLimit(pending, undefined), 410);
            assert.strictEqual(trustedLiveLimit(pending, 850), 850);
            assert.strictEqual(trustedLiveLimit(pending, 900), 410, "a stale or mistyped value never raises it");
            assert.strictEqual(trustedLiveLimit(pending, 300), 300, "a lower live value is believed");
        });
    });

    it("refuses an engine downgrade with the deployed version in the message", () => {
        const result = planTransition({ ...prodDeployed, dbEngineVersion: "17" }, prodSettings);
        assert.strictEqual(result.ok, false);
        if (result.ok) return;
        assert.strictEqual(result.problems[0].key, "webfleet:dbEngineVersion");
        assert.match(result.problems[0].allowed, /runs PostgreSQL 17, and RDS cannot downgrade it; use 17 or later/);
        assert.ok(planTransition({ ...prodDeployed, dbEngineVersion: "15" }, prodSettings).ok, "upgrades are fine");
    });

    it("the first deploy sets the target at once", () => {
        const plan = ok(planTransition(undefined, prodSettings));
        assert.deepStrictEqual(
            [plan.firstDeploy, plan.poolPerTask, plan.targetPoolPerTask, plan.remainingUps, plan.peakDuringChange, plan.waitsForReboot],
            [true, 25, 25, 0, 410, false],
        );
    });

    describe("properties", () => {
        it("the greedy worst case equals the brute-force worst case over every allowed rollout", () => {
            fc.assert(
                fc.property(deployedArb, settingsArb, fc.integer({ min: 1, max: 100 }), (deployed, next, newPool) => {
                    const desired = Math.max(deployed.maxReplicas, next.maxReplicas);
                    const percent = Math.max(deployed.deploymentMaximumPercent ?? 200, next.deploymentMaximumPercent);
                    const greedy = worstDuringRollout({
                        oldPool: deployed.poolPerTask,
                        newPool,
                        oldTasks: deployed.maxReplicas,
                        desired,
                        cap: Math.floor((desired * percent) / 100),
                        reserved: Math.max(deployed.dbReservedConnections, next.dbReservedConnections),
                    });
                    assert.strictEqual(greedy, bruteForceWorst(deployed, next, newPool));
                }),
                { numRuns: propertyRuns(300) },
            );
        });

        it("no `up` exceeds the live limit, during the rollout or at rest", () => {
            fc.assert(
                fc.property(deployedArb, settingsArb, (deployed, raw) => {
                    const next = comparable(deployed, raw);
                    const { plans, deployed: states } = converge(deployed, next);
                    plans.forEach((plan, i) => {
                        const before = states[i];
                        const live = plan.liveMaxConnections;
                        assert.ok(live <= Math.min(trustedLiveLimit(before, i === 0 ? undefined : plans[i - 1].waitsForReboot ? plans[i - 1].dbMaxConnections : undefined), plan.dbMaxConnections));
                        assert.ok(bruteForceWorst(before, next, plan.poolPerTask) <= live, `up ${i + 1}: ${JSON.stringify({ before, plan })}`);
                        assert.ok(plan.peakAtRest <= live);
                        assert.ok(plan.poolPerTask >= 1 && plan.poolPerTask <= plan.targetPoolPerTask);
                    });
                }),
                { numRuns: propertyRuns(300) },
            );
        });

        it("repeated `up`s reach the target within 3 (plus the reboot when the limit rises), as remainingUps predicts", () => {
            fc.assert(
                fc.property(deployedArb, settingsArb, (deployed, raw) => {
                    const next = comparable(deployed, raw);
                    const { plans } = converge(deployed, next);
                    const last = plans[plans.length - 1];
                    const target = planCapacity(next);
                    assert.ok(target.ok);
                    if (!target.ok) return;
                    assert.strictEqual(last.poolPerTask, target.plan.poolPerTask, JSON.stringify({ deployed, next, plans }));
                    assert.strictEqual(last.dbMaxConnections, next.dbMaxConnections);
                    assert.strictEqual(last.dbInstanceClass, next.dbInstanceClass);
                    assert.ok(plans.length <= 3, `${plans.length} ups: ${JSON.stringify(plans.map((p) => p.poolPerTask))}`);
                    assert.strictEqual(plans[0].remainingUps, plans.length - 1);
                }),
                { numRuns: propertyRuns(300) },
            );
        });

        it("a steady config needs no extra step and says nothing", () => {
            fc.assert(
                fc.property(settingsArb, (settings) => {
                    const deployed = asDeployed(settings, ok(planTransition(undefined, settings)));
                    const plan = ok(planTransition(deployed, settings));
                    assert.deepStrictEqual(
                        [plan.poolPerTask, plan.remainingUps, plan.waitsForReboot, plan.notes, plan.dbMaxConnections],
                        [plan.targetPoolPerTask, 0, false, [], settings.dbMaxConnections],
                    );
                }),
                { numRuns: propertyRuns(300) },
            );
        });
    });
});

describe("reading the deployed plan back (lib/transition readDeployedPlan)", () => {
    it("no output is a first deploy", () => {
        assert.strictEqual(readDeployedPlan(undefined), undefined);
        assert.strictEqual(readDeployedPlan(null), undefined);
    });

    it("an output of the program before this model: the live limit is the group's, the rest unknown", () => {
        const old = { replicas: 4, maxReplicas: 8, peakTasks: 16, dbMaxConnections: 410, dbReservedConnections: 10, poolPerTask: 25, peakConnections: 410 };
        assert.deepStrictEqual(readDeployedPlan(old), {
            maxReplicas: 8,
            poolPerTask: 25,
            dbMaxConnections: 410,
            dbMaxConnectionsLive: 410,
            dbReservedConnections: 10,
            deploymentMaximumPercent: undefined,
            dbInstanceClass: undefined,
            dbEngineVersion: undefined,
        });
    });

    it("reads back exactly what it wrote", () => {
        const plan = ok(planTransition(prodDeployed, { ...prodSettings, dbInstanceClass: "db.t4g.large", dbMaxConnections: 850 }));
        const next = { ...prodSettings, dbInstanceClass: "db.t4g.large", dbMaxConnections: 850 };
        const written: unknown = JSON.parse(JSON.stringify(capacityOutput(next, plan)));
        assert.deepStrictEqual(readDeployedPlan(written), asDeployed(next, plan));
    });

    it("a malformed output is an error naming the field, never a silent first deploy", () => {
        assert.throws(() => readDeployedPlan("25"), /capacityPlan output is "25", not an object/);
        assert.throws(() => readDeployedPlan({ maxReplicas: 8, poolPerTask: "25", dbMaxConnections: 410, dbReservedConnections: 10 }), /poolPerTask = "25", expected a whole number/);
        assert.throws(() => readDeployedPlan({ maxReplicas: 8, poolPerTask: 25, dbReservedConnections: 10 }), /dbMaxConnections = undefined/);
    });
});

describe("when no safe step exists, the refusal names the key and the way there (lib/transition)", () => {
    /** Prod at 101 % with pool 50: 8 × 50 + 10 = 410, every connection of the live limit in use. */
    const full: DeployedPlan = { ...prodDeployed, poolPerTask: 50, deploymentMaximumPercent: 101 };
    const refusal = (deployed: DeployedPlan, change: Partial<TransitionInput>): string => {
        const result = planTransition(deployed, { ...prodSettings, ...change });
        assert.ok(!result.ok, JSON.stringify(result));
        if (result.ok) return "";
        assert.strictEqual(result.problems.length, 1);
        return `${result.problems[0].key} = ${result.problems[0].given}: ${result.problems[0].allowed}`;
    };

    it("a ceiling that needs the higher max_connections: keep maxReplicas until the reboot is confirmed", () => {
        assert.strictEqual(
            refusal(prodDeployed, { maxReplicas: 300, dbMaxConnections: 5000 }),
            "webfleet:maxReplicas = 300: peak tasks 600 need more connections than the database allows until a reboot applies max_connections 5000 " +
                "(live: 410; 600 tasks × 1 + reserved 10 = 610). Keep maxReplicas at 8 for now: run `pulumi up` with the new dbMaxConnections or " +
                "dbInstanceClass, reboot the instance, set dbMaxConnectionsConfirmed, then raise maxReplicas.",
        );
    });

    it("reserved connections raised past the room the deployed pools leave", () => {
        // 8 × 25 + 203 = 403: no room for 8 new tasks of 1 within 410. (202 leaves 8 × 1: a step.)
        assert.strictEqual(
            refusal(prodDeployed, { dbReservedConnections: 203 }),
            "webfleet:dbReservedConnections = 203: the deployed 8 tasks × pool 25 + reserved 203 = 403 connections leave no room for a single new task " +
                "within the live limit 410. Raise dbReservedConnections after an `up` that shrinks the pools (lower dbPoolMaxPerTask first).",
        );
        assert.strictEqual(ok(planTransition(prodDeployed, { ...prodSettings, dbReservedConnections: 202 })).poolPerTask, 1);
    });

    it("deploymentMaximumPercent raised while the deployed pools fill the limit: change it in an up of its own", () => {
        assert.strictEqual(
            refusal(full, { deploymentMaximumPercent: 200 }),
            "webfleet:deploymentMaximumPercent = 200: raising it from 101 lets ECS start more new tasks while the deployed 8 tasks × pool 50 + reserved 10 " +
                "= 410 connections still run, and no pool of 1 or more fits the live limit 410. Change deploymentMaximumPercent in an `up` of its own, " +
                "before or after the other changes.",
        );
        // A deployed plan of before the percent was recorded is taken as 200 %: 200 is no raise.
        assert.doesNotMatch(refusal({ ...full, deploymentMaximumPercent: undefined }, { maxReplicas: 10 }), /deploymentMaximumPercent/);
    });

    it("a ceiling raised too far at once: the largest ceiling this up can take, then the rest", () => {
        // 8 × 45 + 10 = 370 of 410: 40 new tasks of 1 fit; at 101 % a ceiling of 48 runs 48 tasks, 8 of them old.
        const room: DeployedPlan = { ...full, poolPerTask: 45 };
        assert.match(refusal(room, { maxReplicas: 60, deploymentMaximumPercent: 101 }), /plus up to 60 new tasks with even 1 connection each, is too many\. Raise maxReplicas to at most 48 in this `up`, and to 60 in the next\.$/);
        assert.ok(ok(planTransition(room, { ...prodSettings, maxReplicas: 48, deploymentMaximumPercent: 101 })).poolPerTask >= 1);
    });

    // Regression: it advised "Raise maxReplicas to at most 8 in this `up`" with 8 deployed, which changes
    // nothing (the pools stay 50) and leaves the next `up` refused the same way.
    it("when not even one more task fits, the advice is to shrink the pools first, not to raise the ceiling to where it is", () => {
        const message = refusal(full, { maxReplicas: 10, deploymentMaximumPercent: 101 });
        assert.match(message, /^webfleet:maxReplicas = 10: this change cannot roll out within the live limit 410: the deployed 8 tasks × pool 50 \+ reserved 10 = 410 connections, plus up to 10 new tasks/);
        assert.match(message, /Lower dbPoolMaxPerTask in one `up` first, then raise maxReplicas\.$/);
        // And that advice works: pools of 40 at a ceiling of 8, then the ceiling of 10.
        const shrunk = ok(planTransition(full, { ...prodSettings, deploymentMaximumPercent: 101, dbPoolMaxPerTask: 40 }));
        assert.strictEqual(shrunk.poolPerTask, 40);
        const next = { ...prodSettings, maxReplicas: 10, deploymentMaximumPercent: 101, dbPoolMaxPerTask: 40 };
        assert.ok(planTransition(asDeployed({ ...prodSettings, deploymentMaximumPercent: 101, dbPoolMaxPerTask: 40 }, shrunk), next).ok);
    });
});

describe("reading the deployed plan back, field by field (lib/transition readDeployedPlan)", () => {
    const written = { maxReplicas: 8, poolPerTask: 25, dbMaxConnections: 850, dbMaxConnectionsLive: 410, dbReservedConnections: 10, deploymentMaximumPercent: 150, dbInstanceClass: "db.t4g.large", dbEngineVersion: "17" };

    it("keeps every field as written, zero included", () => {
        assert.deepStrictEqual(readDeployedPlan(written), written);
        assert.strictEqual(readDeployedPlan({ ...written, poolPerTask: 0 })?.poolPerTask, 0);
    });

    it("refuses arrays, negative, fractional or textual counts, also in the optional fields", () => {
        assert.throws(() => readDeployedPlan([written]), /capacityPlan output is \[\{.*\}\], not an object/);
        for (const [key, value] of [["maxReplicas", -1], ["dbReservedConnections", 2.5], ["dbMaxConnectionsLive", "410"], ["deploymentMaximumPercent", null], ["dbMaxConnections", Number.MAX_SAFE_INTEGER + 1]] as const) {
            assert.throws(() => readDeployedPlan({ ...written, [key]: value }), new RegExp(`has ${key} = ${JSON.stringify(value)}, expected a whole number`), key);
        }
    });

    it("an instance class or engine version that is not text reads as unknown", () => {
        const plan = readDeployedPlan({ ...written, dbInstanceClass: 7, dbEngineVersion: 17 });
        assert.deepStrictEqual([plan?.dbInstanceClass, plan?.dbEngineVersion], [undefined, undefined]);
    });
});

describe("what one `up` writes and tells (lib/transition)", () => {
    it("the capacityPlan output of a class change, field by field: the at-rest plan of this up and the change", () => {
        const next = { ...prodSettings, dbInstanceClass: "db.t4g.large", dbMaxConnections: 850 };
        const plan = ok(planTransition(prodDeployed, next));
        const { transition, ...rest } = capacityOutput(next, plan);
        assert.deepStrictEqual(rest, {
            replicas: 4,
            maxReplicas: 8,
            peakTasks: 16,
            dbMaxConnections: 850,
            dbReservedConnections: 10,
            poolPerTask: 25,
            peakConnections: 16 * 25 + 10,
            deploymentMaximumPercent: 200,
            dbInstanceClass: "db.t4g.large",
            dbEngineVersion: "16",
            dbMaxConnectionsLive: 410,
        });
        assert.deepStrictEqual({ ...transition, notes: transition.notes.length }, { firstDeploy: false, targetPoolPerTask: 50, remainingUps: 1, peakDuringChange: 410, waitsForReboot: true, notes: 2 });
        assert.strictEqual(
            transition.notes[1],
            "pool per task 25 this up, 50 when the change is complete: a bigger pool now could exceed 410 connections while old and new tasks run side by side.",
        );
    });

    it("lowering an explicit max_connections on the same class: the limit is held (no word about the class), the peak counts old pools of 50", () => {
        const big: DeployedPlan = { ...prodDeployed, poolPerTask: 50, dbMaxConnections: 850, dbMaxConnectionsLive: 850 };
        const plan = ok(planTransition(big, prodSettings));
        assert.deepStrictEqual(
            [plan.poolPerTask, plan.dbMaxConnections, plan.dbInstanceClass, plan.liveMaxConnections, plan.peakDuringChange, plan.peakAtRest, plan.remainingUps],
            [25, 850, "db.t4g.medium", 850, 8 * 50 + 8 * 25 + 10, 16 * 25 + 10, 1],
        );
        assert.deepStrictEqual(plan.notes, ["max_connections stays 850 for this up: the deployed pools (50 per task) do not fit 410 yet; this up shrinks them, the next one lowers the limit."]);
        // A deployed plan of before the class was recorded holds the new class.
        assert.strictEqual(ok(planTransition({ ...big, dbInstanceClass: undefined }, prodSettings)).dbInstanceClass, "db.t4g.medium");
    });

    it("the README's example at rest: 20 tasks × 20 + 10 = 410", () => {
        const plan = ok(planTransition(prodDeployed, { ...prodSettings, maxReplicas: 10 }));
        assert.deepStrictEqual([plan.peakAtRest, plan.notes], [410, []]);
    });

    it("a confirmation below the deployed value lowers the trusted limit and says it cannot raise it", () => {
        const plan = ok(planTransition(prodDeployed, { ...prodSettings, dbMaxConnectionsConfirmed: 300 }));
        assert.deepStrictEqual([plan.poolPerTask, plan.liveMaxConnections, plan.peakDuringChange, plan.peakAtRest, plan.waitsForReboot], [11, 300, 8 * 25 + 8 * 11 + 10, 16 * 11 + 10, true]);
        assert.deepStrictEqual(plan.notes.slice(1), [
            "dbMaxConnectionsConfirmed 300 is not the deployed parameter group's max_connections (410): it cannot raise the trusted limit (300); unset it once nothing waits for a reboot.",
            "pool per task 11 this up, 25 when the change is complete: a bigger pool now could exceed 300 connections while old and new tasks run side by side.",
        ]);
        assert.match(plan.notes[0], /^max_connections 410 waits for a reboot \(static parameter\); the budget keeps using 300 until then\. Reboot the instance, check that SHOW max_connections says 410, then `pulumi config set dbMaxConnectionsConfirmed 410` and run `pulumi up` again\./);
        // The deployed value confirmed: trusted, nothing to say.
        assert.deepStrictEqual(ok(planTransition(prodDeployed, { ...prodSettings, dbMaxConnectionsConfirmed: 410 })).notes, []);
    });
});
