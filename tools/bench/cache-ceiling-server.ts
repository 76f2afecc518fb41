/**
 * The cache-hit path's ceiling: a bare node:http server that reads the request body and
 * makes the one Redis round trip the gateway makes on a hit — a GET through the
 * gateway's own cache client (lib/shared-cache.js of the staged production build, so
 * ioredis with the same options) and the same settings (lib/env.js reads them from the
 * same environment) — then answers with the gateway's own hit answer. No endpoint
 * lookup, no JSON-RPC validation, no cache key, no logging: whatever the gateway's hit
 * path costs beyond this is ours, not Node's or the Redis round trip's. (The bare
 * ceiling (c) needs no Redis at all, so b/c also charges the round trip to the gateway.)
 *
 * IMAGE_DIR is the staged build; CEILING_ANSWERS the production server's answers (as
 * for the ceiling): its hit answer, body and headers, on POST, its health answer on GET;
 * the rest is the app's environment contract.
 */
import http from "node:http";
import type * as CacheModule from "../../app/lib/shared-cache";
import { buildConfig, buildModule, ceilingAnswersFromEnv, required, sendAnswer } from "./ceiling-support";

const imageDir = required("cache-ceiling", "IMAGE_DIR");
const answers = ceilingAnswersFromEnv("cache-ceiling");
const config = buildConfig(imageDir);
const sharedCache = buildModule<typeof CacheModule>(imageDir, "shared-cache");
const cache = new sharedCache.SharedCache(config.redis);
const KEY = `wf:bench:cache-ceiling:${process.pid}`;

const server = http.createServer((req, res) => {
    if (req.method === "GET") {
        req.resume();
        sendAnswer(res, 200, answers.health);
        return;
    }
    req.resume();
    req.on("end", () => {
        cache.getMany([KEY]).then(
            (values) => sendAnswer(res, values?.[0] === undefined || values[0] === null ? 503 : 200, answers.hit),
            () => sendAnswer(res, 500, { body: "{}", headers: answers.hit.headers }),
        );
    });
});
// Same keep-alive as the app's server, so neither side closes connections mid-run.
server.keepAliveTimeout = 65_000;
cache.client.once("ready", () => {
    cache.client.set(KEY, "0x1", "EX", 3600).then(
        () => server.listen(config.port, config.hostname),
        (error: unknown) => {
            process.stderr.write(`cache-ceiling: could not write to Redis: ${String(error)}\n`);
            process.exit(1);
        },
    );
});
process.on("SIGTERM", () => {
    server.close(() => {
        void cache.close().finally(() => process.exit(0));
    });
    server.closeAllConnections();
});
