/**
 * One real PostgreSQL, one real Redis and one upstream stub for the whole run (a mocha
 * root hook), plus helpers to register endpoints. Tests that stop a server bring it back.
 */
import { Pool } from "pg";
import { ensureSchema } from "../lib/db";
import { APP_DB, APP_PASSWORD, APP_USER, PgServer } from "./postgres";
import { RedisServer } from "./redis";
import { UpstreamStub } from "./upstream-stub";

/** Small on purpose: the pool-budget test needs a budget that load can exceed. */
export const PG_MAX_CONNECTIONS = 40;

export interface Fixture {
    readonly pg: PgServer;
    readonly redis: RedisServer;
    readonly upstream: UpstreamStub;
    readonly seed: Pool;
}

let current: Fixture | undefined;

export function fixture(): Fixture {
    if (current === undefined) {
        throw new Error("fixture not started: run the tests through mocha with app/test/support/hooks.ts");
    }
    return current;
}

/** `maxConnections`: the server's max_connections (the local fleet sizes its pools from it). */
export async function startFixture(maxConnections = PG_MAX_CONNECTIONS): Promise<void> {
    const started = await Promise.allSettled([PgServer.start(maxConnections), RedisServer.start(), UpstreamStub.start()]);
    const [pgS, redisS, upstreamS] = started;
    if (pgS.status === "rejected" || redisS.status === "rejected" || upstreamS.status === "rejected") {
        // Stop whichever did start: a failed start must leave no server behind.
        await Promise.all([
            pgS.status === "fulfilled" ? pgS.value.stop() : undefined,
            redisS.status === "fulfilled" ? redisS.value.stop() : undefined,
            upstreamS.status === "fulfilled" ? upstreamS.value.close() : undefined,
        ]);
        const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
        throw failed?.reason;
    }
    const [pg, redis, upstream] = [pgS.value, redisS.value, upstreamS.value];
    const seed = new Pool({ host: "127.0.0.1", port: pg.port, user: APP_USER, password: APP_PASSWORD, database: APP_DB, max: 1 });
    seed.on("error", () => undefined);
    current = { pg, redis, upstream, seed };
    await ensureSchema(seed);
}

export async function stopFixture(): Promise<void> {
    if (current === undefined) {
        return;
    }
    const f = current;
    current = undefined;
    await f.seed.end().catch(() => undefined);
    await Promise.all([f.pg.stop(), f.redis.stop(), f.upstream.close()]);
}

/** Registers (or re-points) an endpoint id, as the team's admin tooling would. */
export async function addEndpoint(id: string, url: string): Promise<void> {
    await fixture().seed.query(
        "INSERT INTO rpc_endpoints (id, upstream_url) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET upstream_url = EXCLUDED.upstream_url",
        [id, url],
    );
}

/** A fresh endpoint id per test, so cached entries never leak between tests. */
let serial = 0;
export function uniqueId(prefix: string): string {
    serial += 1;
    return `${prefix}_${process.pid}_${Date.now()}_${serial}`;
}
