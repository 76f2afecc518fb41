/**
 * A fleet on loopback: real Postgres, Redis and the upstream stub (the app's own test
 * support, app/local), N instances of the production build (`node server.js` in
 * app/.next/standalone, as the image runs it) and the round-robin proxy in front.
 *
 *   npm run loadtest:local -- --rps 300 --duration 10s [other loadtest options]
 *
 * starts it, runs the load test against the proxy (--url and --endpoint are filled in;
 * --instances N picks the count, default 2) and stops everything. Needs `npm run build`
 * in app/ and the Debian postgresql and redis-server packages (`npm run setup`).
 *
 * The app's helpers are loaded with import() only when a fleet is started, so the load
 * test's own tests still load on a machine without app/node_modules.
 */
import fs from "node:fs";
import path from "node:path";
import { main } from "./loadtest";
import { startRoundRobinProxy } from "./proxy";

export const APP_DIR = path.resolve(__dirname, "..", "..", "app");

/** Why a local fleet cannot start here, or null when it can. */
export function localFleetUnavailable(): string | null {
    if (!fs.existsSync(path.join(APP_DIR, ".next", "standalone", "server.js"))) {
        return "no production build: run `npm run build` in app/";
    }
    if (!fs.existsSync(path.join(APP_DIR, "node_modules", "pg"))) {
        return "app dependencies missing: run `npm ci` in app/";
    }
    const pgBin = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
    if (!fs.existsSync(path.join(pgBin, "postgres"))) {
        return `no PostgreSQL server at ${pgBin}: run \`npm run setup\``;
    }
    return null;
}

export interface LocalFleet {
    /** The proxy's base URL: what --url gets. */
    readonly url: string;
    /** A registered endpoint id whose upstream is the stub. */
    readonly endpointId: string;
    /** `x-instance-id` of each instance, in start order. */
    readonly instanceIds: readonly string[];
    /** Makes the upstream stub answer HTTP 500 (on) or normally (off). */
    failUpstream(on: boolean): void;
    stop(): Promise<void>;
}

export async function startLocalFleet(instances: number): Promise<LocalFleet> {
    const fixtureModule = await import("../../app/local/fixture");
    const appModule = await import("../../app/local/app");
    await fixtureModule.startFixture();
    const started: { stop(): Promise<unknown> }[] = [];
    try {
        const f = fixtureModule.fixture();
        const endpointId = fixtureModule.uniqueId("loadtest");
        await fixtureModule.addEndpoint(endpointId, f.upstream.url);
        const instanceIds = Array.from({ length: instances }, (_, i) => `local-${i + 1}`);
        const apps = [];
        for (const id of instanceIds) {
            const app = await appModule.AppInstance.start(f, {}, id);
            started.push(app);
            apps.push(app);
        }
        const proxy = await startRoundRobinProxy(apps.map((a) => `http://127.0.0.1:${a.port}`));
        return {
            url: proxy.url,
            endpointId,
            instanceIds,
            failUpstream: (on) => {
                f.upstream.behaviour = { delayMs: 0, fault: on ? "http-500" : "none" };
            },
            stop: async () => {
                await proxy.close();
                await Promise.all(started.map((a) => a.stop()));
                await fixtureModule.stopFixture();
            },
        };
    } catch (error) {
        await Promise.all(started.map((a) => a.stop()));
        await fixtureModule.stopFixture();
        throw error;
    }
}

/** Splits `--instances N` off the arguments; the rest go to the load test. */
function takeInstances(argv: readonly string[]): { instances: number; rest: string[] } {
    const rest = [...argv];
    const i = rest.indexOf("--instances");
    if (i === -1) {
        return { instances: 2, rest };
    }
    const n = Number(rest[i + 1]);
    if (!Number.isInteger(n) || n < 1 || n > 8) {
        throw new Error("--instances: an integer from 1 to 8");
    }
    rest.splice(i, 2);
    return { instances: n, rest };
}

async function run(): Promise<number> {
    const unavailable = localFleetUnavailable();
    if (unavailable !== null) {
        process.stderr.write(`loadtest:local: ${unavailable}\n`);
        return 2;
    }
    const { instances, rest } = takeInstances(process.argv.slice(2));
    const fleet = await startLocalFleet(instances);
    process.stdout.write(`loadtest:local: ${instances} instances behind ${fleet.url}, endpoint ${fleet.endpointId}\n`);
    try {
        return await main(["--url", fleet.url, "--endpoint", fleet.endpointId, ...rest], {
            out: (line) => process.stdout.write(`${line}\n`),
            err: (line) => process.stderr.write(`${line}\n`),
        });
    } finally {
        await fleet.stop();
    }
}

if (require.main === module) {
    run().then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`loadtest:local: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exitCode = 2;
        },
    );
}
