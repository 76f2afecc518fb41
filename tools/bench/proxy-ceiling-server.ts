/**
 * The miss path's ceiling: a bare node:http server that reads the request body and makes
 * the same upstream call the gateway makes on a cache miss — with the gateway's own
 * upstream client (lib/upstream.js of the staged production build) and the same
 * settings (lib/env.js reads them from the same environment) — then answers with the
 * upstream's JSON. No Redis, no Postgres, no endpoint lookup, no JSON-RPC validation:
 * whatever the gateway's miss path costs beyond this is ours, not Node's or the
 * upstream round trip's.
 *
 * With WITH_CACHE=1 it is ceiling (f), the miss path's whole I/O: before the upstream
 * call, the Redis GET a miss makes (a key no one wrote: a miss), and after it the Redis
 * SET that stores the answer, both through the gateway's own cache client
 * (lib/shared-cache.js, ioredis with the same options). What the gateway's miss path costs
 * beyond (f) is its own work: JSON-RPC parsing and checks, the endpoint and cache-key
 * lookups, the id echo, logging and metrics.
 *
 * IMAGE_DIR is the staged build; UPSTREAM_URL the upstream; CEILING_ANSWERS the
 * production server's answers (as for the ceiling): its miss headers go on every answer,
 * its health answer on GET; the rest is the app's environment contract.
 */
import http from "node:http";
import type * as CacheModule from "../../app/lib/shared-cache";
import type * as UpstreamModule from "../../app/lib/upstream";
import { buildConfig, buildModule, ceilingAnswersFromEnv, required, sendAnswer } from "./ceiling-support";

const imageDir = required("proxy-ceiling", "IMAGE_DIR");
const upstreamUrl = new URL(required("proxy-ceiling", "UPSTREAM_URL"));
const config = buildConfig(imageDir);
const upstream = buildModule<typeof UpstreamModule>(imageDir, "upstream");
const client = new upstream.UpstreamClient(config.upstream);
const answers = ceilingAnswersFromEnv("proxy-ceiling");
const cache = process.env.WITH_CACHE === "1" ? new (buildModule<typeof CacheModule>(imageDir, "shared-cache").SharedCache)(config.redis) : undefined;
/** A new key per request, as every miss has its own; no hashing (that is the gateway's work). */
let keyCounter = 0;
const KEY_PREFIX = `wf:bench:proxy-cache-ceiling:${process.pid}:`;
/** As long as the gateway's own entries' TTL on the miss path (BENCH_CACHE_TTLS). */
const TTL_S = 60;

/**
 * The upstream's JSON text, or an error's; with `cache`, the GET before the call and the
 * SET of that same text after it.
 */
async function forward(payload: string): Promise<{ status: number; body: string }> {
    const key = `${KEY_PREFIX}${keyCounter++}`;
    if (cache !== undefined) {
        const held = await cache.getMany([key]);
        if (held === undefined || held[0] !== null) {
            return failure(held === undefined ? "redis unavailable" : "key unexpectedly present");
        }
    }
    const result = await client.post(upstreamUrl, payload, { endpointId: "bench" });
    if (result.kind !== "ok") {
        return failure(result.kind);
    }
    const body = JSON.stringify(result.body);
    cache?.set(key, body, TTL_S);
    return { status: 200, body };
}

function failure(message: string): { status: number; body: string } {
    return { status: 502, body: JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32002, message } }) };
}

const server = http.createServer((req, res) => {
    if (req.method === "GET") {
        req.resume();
        sendAnswer(res, 200, answers.health);
        return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
        forward(Buffer.concat(chunks).toString("utf8")).then(
            ({ status, body }) => sendAnswer(res, status, { body, headers: answers.miss.headers }),
            () => sendAnswer(res, 500, { body: "{}", headers: answers.miss.headers }),
        );
    });
});
// Same keep-alive as the app's server, so neither side closes connections mid-run.
server.keepAliveTimeout = 65_000;
if (cache === undefined) {
    server.listen(config.port, config.hostname);
} else {
    // Listening before Redis is ready would answer the bench's check request with an error.
    cache.client.once("ready", () => server.listen(config.port, config.hostname));
}
process.on("SIGTERM", () => {
    server.close(() => {
        void (cache?.close() ?? Promise.resolve()).finally(() => process.exit(0));
    });
    server.closeAllConnections();
});
