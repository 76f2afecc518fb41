/**
 * The connection budget, end to end: instances sized by the fleet program's own
 * capacity module stay inside a small max_connections under load that wants more,
 * and the seed's 500 per instance, under the same load, is refused by PostgreSQL.
 */
import assert from "node:assert/strict";
import { planCapacity } from "../../lib/capacity";
import { CONCURRENCY_PER_INSTANCE, ENDPOINTS, RESERVED, REPLICAS, REQUESTS, runFleet } from "./support/fleet";
import { addEndpoint, fixture, PG_MAX_CONNECTIONS, uniqueId } from "../local/fixture";
import { count, describe as describeLoad } from "../local/load";

describe("pool budget (3 instances, real PostgreSQL with max_connections 40)", function () {
    this.timeout(240_000);
    const plan = planCapacity({
        replicas: REPLICAS,
        maxReplicas: REPLICAS,
        deploymentMaximumPercent: 200,
        dbMaxConnections: PG_MAX_CONNECTIONS,
        dbReservedConnections: RESERVED,
        dbPoolMaxPerTask: 100,
        dbPoolMinPerTask: 2,
    });
    const ids: string[] = [];

    before(async () => {
        for (let i = 0; i < ENDPOINTS; i += 1) {
            ids.push(uniqueId("budget"));
        }
        await Promise.all(ids.map((id) => addEndpoint(id, fixture().upstream.url)));
    });

    it("with the capacity module's pool size: zero errors, peak connections within the budget", async () => {
        assert.ok(plan.ok, "the capacity plan must fit");
        const pool = plan.plan.poolPerTask;
        const budget = REPLICAS * pool;
        // The load wants far more connections than the pools may open.
        assert.ok(REPLICAS * CONCURRENCY_PER_INSTANCE > PG_MAX_CONNECTIONS);

        const { load, peak, logs } = await runFleet({ DB_POOL_MAX: String(pool) }, ids);
        console.log(`      pool ${pool}/task (plan: ${JSON.stringify(plan.plan)}); peak app connections ${peak.app}/${budget}, all ${peak.total}/${PG_MAX_CONNECTIONS}; ${describeLoad(load)}`);
        assert.equal(load.total, REQUESTS, `every request must have been sent: ${describeLoad(load)}`);
        assert.equal(load.errors.length, 0, describeLoad(load));
        assert.equal(count(load, (s) => s !== 200), 0, describeLoad(load));
        assert.doesNotMatch(logs, /too many clients|endpoint lookup failed/);
        assert.ok(peak.app <= budget, `peak ${peak.app} exceeds ${REPLICAS} × ${pool}`);
        assert.ok(peak.total <= plan.plan.peakConnections && peak.total <= PG_MAX_CONNECTIONS);
        // The pools were actually filled: demand exceeded what they may open.
        assert.equal(peak.app, budget, "every instance's pool should have reached its maximum under this load");
    });

    it("negative control: the seed's 500 per instance gets 'too many clients' from PostgreSQL", async () => {
        const { load, peak, logs } = await runFleet({ DB_POOL_MAX: "500" }, ids);
        const refused = (logs.match(/too many clients/g) ?? []).length;
        console.log(`      pool 500/task: peak all connections ${peak.total}/${PG_MAX_CONNECTIONS}; ${refused} 'too many clients' log lines; ${describeLoad(load)}`);
        assert.ok(refused > 0, "expected PostgreSQL to refuse connections");
        assert.ok(count(load, (s) => s === 503) > 0, "refused lookups answer 503");
        assert.equal(peak.total, PG_MAX_CONNECTIONS, "the database was full");
    });
});
