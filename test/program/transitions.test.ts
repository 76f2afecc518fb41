/**
 * The whole program under mocks, `up` after `up`: each run gets the previous run's outputs
 * through the mocked StackReference to its own stack, as `pulumi up` would. For the changes
 * users make (lower the ceiling, turn autoscaling off, a bigger class, a higher
 * max_connections), every `up` sets a pool that is safe for its own rollout — checked by
 * brute force against the previous plan, on what the resources were given — and feeding
 * each output back converges to the at-rest plan of the new settings.
 *
 * One child process per run (test/support/program-child.ts); the chains run in parallel.
 */
import * as assert from "assert";
import * as path from "path";
import { planCapacity } from "../../lib/capacity";
import { DeployedPlan, readDeployedPlan } from "../../lib/transition";
import type { ChildRun } from "../support/program-child";
import { bruteForceWorst } from "../support/rollout";
import { launch, lastJsonLine } from "../../tools/mock-runner/launch";
import { PROJECT_ROOT } from "../../tools/mock-runner/stack-config";

const CHILD = path.join(PROJECT_ROOT, "test", "support", "program-child.ts");
const MAX_UPS = 4;

async function runChild(overrides: Record<string, string>, previous: Record<string, unknown> | undefined): Promise<ChildRun> {
    const env = {
        ...process.env,
        WEBFLEET_STACK: "prod",
        WEBFLEET_OVERRIDES: JSON.stringify(overrides),
        WEBFLEET_PREVIOUS_OUTPUTS: previous === undefined ? "" : JSON.stringify(previous),
    };
    const r = await launch({ script: CHILD, env }).done;
    if (r.status !== 0) {
        throw new Error(`program run failed (${r.status}): ${r.stderr}`);
    }
    return lastJsonLine(r.stdout) as ChildRun;
}

function plan(run: ChildRun): DeployedPlan {
    const deployed = readDeployedPlan(run.outputs["capacityPlan"]);
    assert.ok(deployed, "every run exports a capacityPlan");
    return deployed;
}

interface Up {
    readonly run: ChildRun;
    readonly overrides: Record<string, string>;
}

/** `up` with `overrides` until the output says nothing remains; `confirm` is what an operator confirms after the reboot. */
async function upUntilDone(first: ChildRun, overrides: Record<string, string>, confirmAfterReboot: boolean): Promise<Up[]> {
    const ups: Up[] = [];
    let previous = first;
    let extra: Record<string, string> = {};
    for (let i = 0; i < MAX_UPS; i += 1) {
        const all = { ...overrides, ...extra };
        const run = await runChild(all, previous.outputs);
        ups.push({ run, overrides: all });
        const out = run.outputs["capacityPlan"];
        const transition = new Map(Object.entries(typeof out === "object" && out !== null ? out : {})).get("transition");
        const t = new Map(Object.entries(typeof transition === "object" && transition !== null ? transition : {}));
        if (t.get("waitsForReboot") === true && confirmAfterReboot) {
            extra = { dbMaxConnectionsConfirmed: String(run.maxConnections) };
        }
        if (t.get("remainingUps") === 0 && t.get("targetPoolPerTask") === run.pool) {
            break;
        }
        previous = run;
    }
    return ups;
}

describe("program under mocks, up after up: the budget holds through every change (prod)", function () {
    this.timeout(600_000);
    let firstDeploy: ChildRun;

    before(async () => {
        firstDeploy = await runChild({}, undefined);
    });

    it("first deploy: no previous plan, so the at-rest plan at once (pool 25 of 410)", () => {
        const p = plan(firstDeploy);
        assert.deepStrictEqual([firstDeploy.pool, firstDeploy.maxConnections, p.dbMaxConnectionsLive], [25, 410, 410]);
    });

    const cases: Array<{ name: string; overrides: Record<string, string>; confirm: boolean; pools: number[]; finalLimit: number }> = [
        { name: "maxReplicas 8 → 6 (old logic: 474 of 410)", overrides: { maxReplicas: "6" }, confirm: false, pools: [25, 33], finalLimit: 410 },
        { name: "autoscaling off, maxReplicas → 0 (old logic: 610 of 410)", overrides: { maxReplicas: "0" }, confirm: false, pools: [25, 50], finalLimit: 410 },
        { name: "dbInstanceClass t4g.medium → t4g.large (old logic: 460 of 410 at 6 tasks)", overrides: { dbInstanceClass: "db.t4g.large" }, confirm: true, pools: [25, 50], finalLimit: 850 },
        { name: "dbMaxConnections raised to 600", overrides: { dbMaxConnections: "600" }, confirm: true, pools: [25, 36], finalLimit: 600 },
    ];

    let chains: Up[][] = [];
    before(async () => {
        chains = await Promise.all(cases.map((c) => upUntilDone(firstDeploy, c.overrides, c.confirm)));
    });

    cases.forEach((c, index) => {
        it(`${c.name}: every up fits its own rollout, and the chain converges to ${c.pools[c.pools.length - 1]}`, () => {
            const ups = chains[index];
            assert.deepStrictEqual(ups.map((u) => u.run.pool), c.pools);
            let previous = plan(firstDeploy);
            for (const up of ups) {
                const now = plan(up.run);
                const live = Math.min(now.dbMaxConnectionsLive, up.run.maxConnections);
                const worst = bruteForceWorst(previous, { maxReplicas: now.maxReplicas, deploymentMaximumPercent: now.deploymentMaximumPercent ?? 200, dbReservedConnections: now.dbReservedConnections }, up.run.pool);
                assert.ok(worst <= live, `${JSON.stringify(up.overrides)}: rollout peak ${worst} > live ${live}`);
                assert.strictEqual(now.poolPerTask, up.run.pool, "the output says what the task definition got");
                assert.strictEqual(now.dbInstanceClass, up.run.instanceClass);
                previous = now;
            }
            const last = ups[ups.length - 1].run;
            const settled = planCapacity({
                replicas: previous.maxReplicas,
                maxReplicas: previous.maxReplicas,
                deploymentMaximumPercent: 200,
                dbMaxConnections: c.finalLimit,
                dbReservedConnections: 10,
                dbPoolMaxPerTask: 50,
                dbPoolMinPerTask: 5,
            });
            assert.ok(settled.ok);
            if (settled.ok) assert.strictEqual(last.pool, settled.plan.poolPerTask, "converged to the at-rest plan");
            assert.strictEqual(plan(last).dbMaxConnectionsLive, c.finalLimit);
        });
    });
});
