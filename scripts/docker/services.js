#!/usr/bin/env node
/**
 * Throwaway PostgreSQL + Redis on loopback for the image test, started with the app's
 * own test helpers (app/local: PgServer, RedisServer, contractEnv), so the
 * container gets exactly the environment contract the app's tests use.
 *
 *   node -r ./app/local/register.js scripts/docker/services.js --port <app port> --out <file>
 *
 * Also starts the app's upstream stub, answering after --upstream-delay-ms (default 1500),
 * and registers it as endpoint "image_test_slow", for the in-flight-at-SIGTERM check.
 * Writes the container's env (KEY=VALUE lines) to --out once all answer,
 * then prints "ready ... endpoint=<id>" and waits; SIGTERM/SIGINT or stdin closing stops the servers
 * and removes their data. Plain JS (run through the app's ts-node hook) so the root
 * `tsc` does not type-check the app's test sources.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const APP = path.resolve(__dirname, "..", "..", "app");
const SUPPORT = path.join(APP, "local");
const { contractEnv } = require(path.join(SUPPORT, "app"));
const { PgServer, APP_DB, APP_USER, APP_PASSWORD } = require(path.join(SUPPORT, "postgres"));
const { RedisServer } = require(path.join(SUPPORT, "redis"));
const { UpstreamStub } = require(path.join(SUPPORT, "upstream-stub"));
const { ensureSchema } = require(path.join(APP, "lib", "db"));
const { Pool } = require(require.resolve("pg", { paths: [APP] }));

/** The endpoint id registered for the container's in-flight-request-at-SIGTERM check. */
const ENDPOINT = "image_test_slow";

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
    const delayMs = Number(process.argv.includes("--upstream-delay-ms") ? arg("--upstream-delay-ms") : "1500");
    const [pg, redis, upstream] = await Promise.all([PgServer.start(20), RedisServer.start(), UpstreamStub.start()]);
    let stopping = false;
    const stop = async () => {
        if (stopping) return;
        stopping = true;
        await Promise.allSettled([pg.stop(), redis.stop(), upstream.close()]);
        process.exit(0);
    };
    // A slow upstream behind one registered endpoint: a request through the gateway is
    // in flight for delayMs, long enough to send SIGTERM while it is.
    upstream.behaviour = { delayMs, fault: "none" };
    const seed = new Pool({ host: "127.0.0.1", port: pg.port, user: APP_USER, password: APP_PASSWORD, database: APP_DB, max: 1 });
    try {
        await ensureSchema(seed);
        await seed.query("INSERT INTO rpc_endpoints (id, upstream_url) VALUES ($1, $2)", [ENDPOINT, upstream.url]);
    } finally {
        await seed.end();
    }
    process.on("SIGTERM", () => void stop());
    process.on("SIGINT", () => void stop());
    process.stdin.on("end", () => void stop());
    process.stdin.resume();

    /** @type {Record<string, string>} */
    const env = contractEnv({ pg, redis }, port);
    fs.writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });
    process.stdout.write(`ready postgres=127.0.0.1:${pg.port} redis=127.0.0.1:${redis.port} ` +
        `upstream=${upstream.url} (delay ${delayMs} ms) endpoint=${ENDPOINT}\n`);
}

main().catch((error) => {
    process.stderr.write(`services: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
});
