/**
 * Everything a task holds for its lifetime: config, the pool, the Redis client, the
 * upstream agents. Exactly one per process: it is kept on `globalThis` under a
 * registered symbol, because the lean server (compiled by tsc) and Next's route
 * handlers (bundled by Next) load separate copies of these modules, and two runtimes
 * would mean two pools and a broken connection budget.
 */
import type { Pool } from "pg";
import { readBuildInfo } from "./build-info";
import { createPool, SchemaState } from "./db";
import { EndpointDirectory } from "./endpoints";
import type { CorsPolicy } from "./cors";
import { type AppConfig, formatProblems, readConfig, type RpcLimits } from "./env";
import { errorMessage, log } from "./log";
import { ParseMemo } from "./parse-memo";
import { PoolGuard } from "./pool-guard";
import { createObservability, type Observability } from "./observe";
import { ResponseCache, type ResponseStore } from "./response-cache";
import { ResponseMemo } from "./response-memo";
import { SharedCache } from "./shared-cache";
import { UpstreamClient } from "./upstream";

export interface Runtime {
    readonly config: AppConfig;
    readonly instanceId: string;
    readonly version: string;
    readonly cacheTtls: ReadonlyMap<string, number>;
    readonly pool: Pool;
    /** Keeps the pool within this task's share of the live max_connections. */
    readonly poolGuard: PoolGuard;
    readonly cache: SharedCache;
    /** Cached JSON-RPC answers: this task's memo in front of `cache`. */
    readonly responses: ResponseStore;
    readonly endpoints: EndpointDirectory;
    readonly upstream: UpstreamClient;
    readonly limits: RpcLimits;
    /** Parsed calls clients repeat (lib/parse-memo.ts). */
    readonly calls: ParseMemo;
    readonly cors: CorsPolicy;
    readonly schema: SchemaState;
    /** Access log and metrics. */
    readonly obs: Observability;
    /** Set on SIGTERM: readiness fails, responses close their connections. */
    draining: boolean;
    close(): Promise<void>;
}

/** Repeated call texts remembered (at most 1 KiB each; lib/parse-memo.ts). */
const PARSE_MEMO_ENTRIES = 1000;

const RUNTIME_KEY = Symbol.for("webfleet.gateway.runtime");
const registry = globalThis as typeof globalThis & { [RUNTIME_KEY]?: Runtime };

export class ConfigError extends Error {}

export function createRuntime(config: AppConfig, appDir: string): Runtime {
    const pool = createPool(config.pg, config.instanceId);
    // First: it configures the logger every later line goes through.
    const obs = createObservability(config, pool);
    const poolGuard = new PoolGuard(pool, {
        planned: config.pg.poolMax,
        peakTasks: config.pg.peakTasks,
        reservedConnections: config.pg.reservedConnections,
    });
    void poolGuard.check();
    const cache = new SharedCache(config.redis);
    const upstream = new UpstreamClient(config.upstream);
    const schema = new SchemaState(pool);
    const runtime: Runtime = {
        config,
        instanceId: config.instanceId,
        version: config.appVersion ?? readBuildInfo(appDir).version,
        cacheTtls: config.cacheTtls,
        pool,
        poolGuard,
        cache,
        responses: new ResponseCache(cache, new ResponseMemo(config.responseMemo.maxAgeMs, config.responseMemo.maxBytes)),
        endpoints: new EndpointDirectory(pool, cache, config.endpointCacheTtlS, config.endpointMemoMs),
        upstream,
        limits: config.limits,
        calls: new ParseMemo(PARSE_MEMO_ENTRIES),
        cors: config.cors,
        schema,
        obs,
        draining: false,
        async close() {
            schema.stop();
            poolGuard.stop();
            obs.close();
            const results = await Promise.allSettled([pool.end(), cache.close(), upstream.close()]);
            for (const r of results) {
                if (r.status === "rejected") {
                    log("warn", "error while closing", { error: errorMessage(r.reason) });
                }
            }
        },
    };
    registry[RUNTIME_KEY] = runtime;
    return runtime;
}

/**
 * The process's runtime. The lean server creates it at start; when Next's own server
 * runs the route handlers (no lean server), the first request creates it from the
 * environment, and a bad environment fails that request with the same message.
 */
export function getRuntime(): Runtime {
    const existing = registry[RUNTIME_KEY];
    if (existing !== undefined) {
        return existing;
    }
    const result = readConfig(process.env);
    if (!result.ok) {
        throw new ConfigError(formatProblems(result.problems));
    }
    const runtime = createRuntime(result.config, process.cwd());
    void runtime.schema.ensure();
    return runtime;
}
