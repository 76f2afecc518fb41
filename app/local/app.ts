/**
 * Runs the production build (`node .next/standalone/server.js`) as a child process,
 * exactly as the image does, with the fleet program's environment contract.
 */
import path from "node:path";
import { Child } from "./child";
import { request } from "./http";
import { freePort, waitFor } from "./ports";
import { APP_DB, APP_PASSWORD, APP_USER, type PgServer } from "./postgres";
import { REDIS_PASSWORD, type RedisServer } from "./redis";

export const STANDALONE = path.resolve(__dirname, "..", ".next", "standalone");

export interface Servers {
    readonly pg: PgServer;
    readonly redis: RedisServer;
}

/** The variables the fleet program sets, pointed at the test servers. */
export function contractEnv(servers: Servers, port: number): Record<string, string> {
    return {
        PORT: String(port),
        HOSTNAME: "127.0.0.1",
        PGHOST: "127.0.0.1",
        PGPORT: String(servers.pg.port),
        PGDATABASE: APP_DB,
        PGUSER: APP_USER,
        PGPASSWORD: APP_PASSWORD,
        PGSSLMODE: "disable",
        DB_POOL_MAX: "5",
        REDIS_URL: servers.redis.url,
        REDIS_AUTH_TOKEN: REDIS_PASSWORD,
    };
}

export class AppInstance {
    private constructor(
        readonly child: Child,
        readonly port: number,
        readonly instanceId: string,
    ) {}

    /**
     * Set by a test run (app/test/support/hooks.ts) for every instance it starts, under
     * the contract and the caller's `env`. Empty elsewhere (npm run fleet:local).
     */
    static baseEnv: Readonly<Record<string, string>> = {};

    /** Starts an instance; `env` entries override the contract (undefined removes one). */
    static async start(servers: Servers, env: Record<string, string | undefined> = {}, instanceId = "app"): Promise<AppInstance> {
        const port = await freePort();
        const merged: Record<string, string | undefined> = {
            PATH: process.env.PATH,
            INSTANCE_ID: instanceId,
            SHUTDOWN_TIMEOUT_MS: "10000",
            ...AppInstance.baseEnv,
            ...contractEnv(servers, port),
            ...env,
        };
        const child = new Child(process.execPath, ["server.js"], { cwd: STANDALONE, env: stripUndefined(merged) });
        const app = new AppInstance(child, Number(merged.PORT), instanceId);
        await waitFor(`instance ${instanceId} to serve /api/health`, async () => {
            if (!child.running) {
                throw new Error(`instance ${instanceId} exited (${child.exitCode}): ${child.tail()}`);
            }
            return (await request(app.port, "GET", "/api/health", undefined, { agent: false, timeoutMs: 1000 })).status === 200;
        }, 60_000, 100);
        return app;
    }

    async stop(): Promise<number | null> {
        return this.child.stop("SIGTERM", 20_000);
    }
}

function stripUndefined(env: Record<string, string | undefined>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) {
        if (v !== undefined) {
            out[k] = v;
        }
    }
    return out;
}
