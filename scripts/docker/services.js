#!/usr/bin/env node
/**
 * Throwaway PostgreSQL + Redis on loopback for the image test, started with the app's
 * own test helpers (app/test/support: PgServer, RedisServer, contractEnv), so the
 * container gets exactly the environment contract the app's tests use.
 *
 *   node -r ./app/test/register.js scripts/docker/services.js --port <app port> --out <file>
 *
 * Writes the container's env (KEY=VALUE lines) to --out once both servers answer,
 * then prints "ready" and waits; SIGTERM/SIGINT or stdin closing stops both servers
 * and removes their data. Plain JS (run through the app's ts-node hook) so the root
 * `tsc` does not type-check the app's test sources.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const SUPPORT = path.resolve(__dirname, "..", "..", "app", "test", "support");
const { contractEnv } = require(path.join(SUPPORT, "app"));
const { PgServer } = require(path.join(SUPPORT, "postgres"));
const { RedisServer } = require(path.join(SUPPORT, "redis"));

/** @param {string} name */
function arg(name) {
    const i = process.argv.indexOf(name);
    if (i === -1 || i + 1 >= process.argv.length) {
        throw new Error(`missing ${name}`);
    }
    return process.argv[i + 1];
}

async function main() {
    const port = Number(arg("--port"));
    const envFile = arg("--out");
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`--port must be a TCP port, got ${arg("--port")}`);
    }
    const [pg, redis] = await Promise.all([PgServer.start(20), RedisServer.start()]);
    let stopping = false;
    const stop = async () => {
        if (stopping) return;
        stopping = true;
        await Promise.allSettled([pg.stop(), redis.stop()]);
        process.exit(0);
    };
    process.on("SIGTERM", () => void stop());
    process.on("SIGINT", () => void stop());
    process.stdin.on("end", () => void stop());
    process.stdin.resume();

    /** @type {Record<string, string>} */
    const env = contractEnv({ pg, redis }, port);
    fs.writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });
    process.stdout.write(`ready postgres=127.0.0.1:${pg.port} redis=127.0.0.1:${redis.port}\n`);
}

main().catch((error) => {
    process.stderr.write(`services: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
});
