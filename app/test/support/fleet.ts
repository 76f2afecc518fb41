/**
 * A small fleet of app instances against the fixture's real PostgreSQL (max_connections
 * PG_MAX_CONNECTIONS), under load that wants far more connections than the pools may
 * open, with pg_stat_activity sampled throughout. Shared by the pool-budget and pool-guard tests.
 */
import type { Client } from "pg";
import { AppInstance } from "../../local/app";
import { fixture } from "../../local/fixture";
import { json, request, rpc } from "../../local/http";
import { type LoadResult, startLoad } from "../../local/load";
import { APP_USER } from "../../local/postgres";
import { sleep } from "../../local/ports";

export const REPLICAS = 3;
/** The test's own connections: the seed pool, the monitor below, one spare for a human. */
export const RESERVED = 3;
export const CONCURRENCY_PER_INSTANCE = 40;
/**
 * The load is a fixed number of requests, not a duration: on a busy machine a timed run
 * sends fewer and proves less, so the verdict would depend on the machine's load. The
 * duration is only a safety cap far above what the requests need.
 */
export const REQUESTS = 3000;
const SAFETY_CAP_MS = 90_000;
export const ENDPOINTS = 200;

export interface FleetRun {
    readonly load: LoadResult;
    readonly peak: Peak;
    readonly logs: string;
    /** Each instance's /api/ready body after the load. */
    readonly ready: unknown[];
}

let runs = 0;

export interface Peak {
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

/** Runs REPLICAS instances with `env` under load that wants more connections than they may open. */
export async function runFleet(extraEnv: Readonly<Record<string, string>>, ids: readonly string[]): Promise<FleetRun> {
    const f = fixture();
    // Every request must reach Postgres: no endpoint caching in Redis or in memory.
    const env = { ...extraEnv, ENDPOINT_CACHE_TTL_S: "0", ENDPOINT_MEMO_MS: "0", DB_CONNECT_TIMEOUT_MS: "5000" };
    runs += 1;
    const apps = await Promise.all(Array.from({ length: REPLICAS }, (_, i) => AppInstance.start(f, env, `budget-${runs}-${i}`)));
    const monitor = await f.pg.superuser("webfleet");
    try {
        const watch = watchConnections(monitor);
        const run = startLoad({
            concurrency: REPLICAS * CONCURRENCY_PER_INSTANCE,
            durationMs: SAFETY_CAP_MS,
            maxRequests: REQUESTS,
            send: (n) => rpc(apps[n % REPLICAS].port, ids[n % ids.length], { jsonrpc: "2.0", id: n, method: "eth_getBalance", params: [n] }),
        });
        const load = await run.done;
        const peak = await watch.stop();
        const ready = await Promise.all(apps.map(async (a) => json(await request(a.port, "GET", "/api/ready"))));
        return { load, peak, logs: apps.map((a) => a.child.output).join("\n"), ready };
    } finally {
        await monitor.end();
        await Promise.all(apps.map((a) => a.stop()));
    }
}

