/**
 * The miss path's ceiling: a bare node:http server that reads the request body and makes
 * the same upstream call the gateway makes on a cache miss — with the gateway's own
 * upstream client (lib/upstream.js of the staged production build) and the same
 * settings (lib/env.js reads them from the same environment) — then answers with the
 * upstream's JSON. No Redis, no Postgres, no endpoint lookup, no JSON-RPC validation:
 * whatever the gateway's miss path costs beyond this is ours, not Node's or the
 * upstream round trip's.
 *
 * IMAGE_DIR is the staged build; UPSTREAM_URL the upstream; CEILING_ANSWERS the
 * production server's answers (as for the ceiling): its miss headers go on every answer,
 * its health answer on GET; the rest is the app's environment contract.
 */
import http from "node:http";
import type * as UpstreamModule from "../../app/lib/upstream";
import { buildConfig, buildModule, ceilingAnswersFromEnv, required, sendAnswer } from "./ceiling-support";

const imageDir = required("proxy-ceiling", "IMAGE_DIR");
const upstreamUrl = new URL(required("proxy-ceiling", "UPSTREAM_URL"));
const config = buildConfig(imageDir);
const upstream = buildModule<typeof UpstreamModule>(imageDir, "upstream");
const client = new upstream.UpstreamClient(config.upstream);
const answers = ceilingAnswersFromEnv("proxy-ceiling");

/** The upstream's JSON (or an error) under the production server's miss headers. */
function answer(res: http.ServerResponse, status: number, body: string): void {
    sendAnswer(res, status, { body, headers: answers.miss.headers });
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
        client.post(upstreamUrl, Buffer.concat(chunks).toString("utf8"), { endpointId: "bench" }).then(
            (result) => {
                if (result.kind === "ok") {
                    answer(res, 200, JSON.stringify(result.body));
                } else {
                    answer(res, 502, JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32002, message: result.kind } }));
                }
            },
            () => answer(res, 500, "{}"),
        );
    });
});
// Same keep-alive as the app's server, so neither side closes connections mid-run.
server.keepAliveTimeout = 65_000;
server.listen(config.port, config.hostname);
process.on("SIGTERM", () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
});
