/**
 * The connection budget, end to end: instances sized by the fleet program's own
 * capacity module stay inside a small max_connections under load that wants more,
 * and the seed's 500 per instance, under the same load, is refused by PostgreSQL.
 */
import assert from "node:assert/strict";
import type { Client } from "pg";
import { planCapacity } from "../../lib/capacity";
import { AppInstance } from "../local/app";
import { addEndpoint, fixture, PG_MAX_CONNECTIONS, uniqueId } from "../local/fixture";
import { rpc } from "../local/http";
import { count, describe as describeLoad, type LoadResult, startLoad } from "../local/load";
import { APP_USER } from "../local/postgres";
import { sleep } from "../local/ports";

const REPLICAS = 3;
/** The test's own connections: the seed pool, the monitor below, one spare for a human. */
const RESERVED = 3;
const CONCURRENCY_PER_INSTANCE = 40;
/**
 * The load is a number of requests, not a duration, so the verdict does not depend on how
 * busy the machine is (at load average 13 on 2 cores, 4 s gave 430–950 requests); the
 * duration is only a cap so a stuck run still ends.
 */
const LOAD_REQUESTS = 1500;
const LOAD_CAP_MS = 45_000;
const ENDPOINTS = 200;

interface Peak {
    app: number;
    total: number;
}

/** Samples pg_stat_activity every 20 ms until stopped; returns the highest counts seen. */
function watchConnections(monitor: Client): { stop(): Promise<Peak> } {
    const peak: Peak = { app: 0, total: 0 };
    let running = true;
    const loop = (async () => {
        while (running) {
            const r = await monitor.query<{ app: string; total: string }>(
                `SELECT count(*) FILTER (WHERE usename = $1 AND application_name LIKE 'webfleet-gateway/%') AS app,
                        count(*) AS total
                   FROM pg_stat_activity WHERE backend_type = 'client backend'`,
                [APP_USER],
            );
            peak.app = Math.max(peak.app, Number(r.rows[0].app));
            peak.total = Math.max(peak.total, Number(r.rows[0].total));
            await sleep(20);
        }
    })();
    return {
        async stop() {
            running = false;
            await loop;
            return peak;
        },
    };
}

async function runFleet(poolMax: number, ids: readonly string[]): Promise<{ load: LoadResult; peak: Peak; logs: string }> {
    const f = fixture();
    // Every request must reach Postgres: no endpoint caching in Redis or in memory.
    const env = { DB_POOL_MAX: String(poolMax), ENDPOINT_CACHE_TTL_S: "0", ENDPOINT_MEMO_MS: "0", DB_CONNECT_TIMEOUT_MS: "5000" };
    const apps = await Promise.all(Array.from({ length: REPLICAS }, (_, i) => AppInstance.start(f, env, `budget-${poolMax}-${i}`)));
    const monitor = await f.pg.superuser("webfleet");
    try {
        const watch = watchConnections(monitor);
        const run = startLoad({
            concurrency: REPLICAS * CONCURRENCY_PER_INSTANCE,
            durationMs: LOAD_CAP_MS,
            maxRequests: LOAD_REQUESTS,
            send: (n) => rpc(apps[n % REPLICAS].port, ids[n % ids.length], { jsonrpc: "2.0", id: n, method: "eth_getBalance", params: [n] }),
        });
        const load = await run.done;
        const peak = await watch.stop();
        return { load, peak, logs: apps.map((a) => a.child.output).join("\n") };
    } finally {
        await monitor.end();
        await Promise.all(apps.map((a) => a.stop()));
    }
}

describe("pool budget (3 instances, real PostgreSQL with max_connections 40)", function () {
    this.timeout(120_000);
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

        const { load, peak, logs } = await runFleet(pool, ids);
        console.log(`      pool ${pool}/task (plan: ${JSON.stringify(plan.plan)}); peak app connections ${peak.app}/${budget}, all ${peak.total}/${PG_MAX_CONNECTIONS}; ${describeLoad(load)}`);
        assert.equal(load.total, LOAD_REQUESTS, `the load did not finish within ${LOAD_CAP_MS} ms: ${describeLoad(load)}`);
        assert.equal(load.errors.length, 0, describeLoad(load));
        assert.equal(count(load, (s) => s !== 200), 0, describeLoad(load));
        assert.doesNotMatch(logs, /too many clients|endpoint lookup failed/);
        assert.ok(peak.app <= budget, `peak ${peak.app} exceeds ${REPLICAS} × ${pool}`);
        assert.ok(peak.total <= plan.plan.peakConnections && peak.total <= PG_MAX_CONNECTIONS);
        // The pools were actually filled: demand exceeded what they may open.
        assert.equal(peak.app, budget, "every instance's pool should have reached its maximum under this load");
    });

    it("negative control: the seed's 500 per instance gets 'too many clients' from PostgreSQL", async () => {
        const { load, peak, logs } = await runFleet(500, ids);
        const refused = (logs.match(/too many clients/g) ?? []).length;
        console.log(`      pool 500/task: peak all connections ${peak.total}/${PG_MAX_CONNECTIONS}; ${refused} 'too many clients' log lines; ${describeLoad(load)}`);
        assert.ok(refused > 0, "expected PostgreSQL to refuse connections");
        assert.ok(count(load, (s) => s === 503) > 0, "refused lookups answer 503");
        assert.equal(peak.total, PG_MAX_CONNECTIONS, "the database was full");
    });
});
