/**
 * The app defends the budget itself: the fleet program planned for a max_connections the
 * database does not have yet (a raise waiting for a reboot). Real PostgreSQL with
 * max_connections 40; the plan assumed 120. Counts, not timings.
 */
import assert from "node:assert/strict";
import { planCapacity } from "../../lib/capacity";
import { effectivePoolMax } from "../lib/pool-guard";
import { ENDPOINTS, REPLICAS, RESERVED, runFleet } from "./support/fleet";
import { addEndpoint, fixture, PG_MAX_CONNECTIONS, uniqueId } from "../local/fixture";
import { count, describe as describeLoad } from "../local/load";

const ASSUMED_MAX_CONNECTIONS = 120;

describe("pool guard (3 instances planned for max_connections 120, real PostgreSQL with 40)", function () {
    this.timeout(240_000);
    const plan = planCapacity({
        replicas: REPLICAS,
        maxReplicas: REPLICAS,
        deploymentMaximumPercent: 200,
        dbMaxConnections: ASSUMED_MAX_CONNECTIONS,
        dbReservedConnections: RESERVED,
        dbPoolMaxPerTask: 100,
        dbPoolMinPerTask: 2,
    });
    assert.ok(plan.ok);
    const planned = plan.ok ? plan.plan : undefined;
    const ids: string[] = [];
    const env = (): Record<string, string> => ({
        DB_POOL_MAX: String(planned?.poolPerTask),
        DB_PEAK_TASKS: String(planned?.peakTasks),
        DB_RESERVED_CONNECTIONS: String(RESERVED),
    });

    before(async () => {
        for (let i = 0; i < ENDPOINTS; i += 1) {
            ids.push(uniqueId("guard"));
        }
        await Promise.all(ids.map((id) => addEndpoint(id, fixture().upstream.url)));
    });

    it("the share rule: min(planned, floor((live − reserved) / peak tasks)), at least 1, off without peak tasks", () => {
        const input = { planned: 19, peakTasks: 6, reservedConnections: 3 };
        assert.equal(effectivePoolMax(input, 40), 6);
        assert.equal(effectivePoolMax(input, 120), 19);
        assert.equal(effectivePoolMax(input, 5), 1);
        assert.equal(effectivePoolMax({ ...input, peakTasks: 0 }, 40), 19);
    });

    it("with the guard: the pools shrink to their share, one warning each, zero 'too many clients'", async () => {
        assert.ok(planned);
        // The plan's pools would overflow the live limit: 3 × 19 > 40.
        assert.ok(REPLICAS * planned.poolPerTask + RESERVED > PG_MAX_CONNECTIONS);
        const share = Math.floor((PG_MAX_CONNECTIONS - RESERVED) / planned.peakTasks);

        const { load, peak, logs, ready } = await runFleet(env(), ids);
        const warnings = (logs.match(/pool shrunk to fit the live max_connections/g) ?? []).length;
        console.log(`      planned pool ${planned.poolPerTask}, effective ${share}; peak app connections ${peak.app}, all ${peak.total}/${PG_MAX_CONNECTIONS}; ${warnings} warnings; ${describeLoad(load)}`);
        assert.ok(load.total > 100, `load too small to prove anything: ${describeLoad(load)}`);
        assert.doesNotMatch(logs, /too many clients/);
        assert.equal(load.errors.length, 0, describeLoad(load));
        assert.equal(count(load, (s) => s !== 200), 0, describeLoad(load));
        assert.equal(warnings, REPLICAS, "one warning per instance, not one per connection");
        assert.match(logs, new RegExp(`"planned":${planned.poolPerTask},"effective":${share},"liveMaxConnections":${PG_MAX_CONNECTIONS}`));
        assert.ok(peak.app <= REPLICAS * share, `peak ${peak.app} > ${REPLICAS} × ${share}`);
        for (const body of ready) {
            assert.deepEqual((body as { pool: unknown }).pool, { planned: planned.poolPerTask, effective: share, liveMaxConnections: PG_MAX_CONNECTIONS, guard: "on" });
        }
    });

    it("negative control: the same instances without the guard (no DB_PEAK_TASKS) get 'too many clients'", async () => {
        assert.ok(planned);
        const { DB_PEAK_TASKS: _peak, ...unguarded } = env();
        const { load, peak, logs, ready } = await runFleet(unguarded, ids);
        const refused = (logs.match(/too many clients/g) ?? []).length;
        console.log(`      pool ${planned.poolPerTask}/task unguarded: peak all connections ${peak.total}/${PG_MAX_CONNECTIONS}; ${refused} 'too many clients' log lines; ${describeLoad(load)}`);
        assert.ok(refused > 0, "expected PostgreSQL to refuse connections");
        assert.equal((ready[0] as { pool: { guard: string } }).pool.guard, "off");
    });
});
