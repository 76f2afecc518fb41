/**
 * The ceiling: a bare node:http server that reads the request body (as the gateway
 * must) and answers with the same JSON and headers the production server gave for the
 * path being measured, without Redis, Postgres or any routing. Whatever the gateway
 * costs beyond this is ours (or Next's), not Node's.
 *
 * CEILING_ANSWERS is {"hit": …, "miss": …, "health": …}, each {body, headers}: GET
 * answers `health`; a POST whose body asks for eth_getBalance answers `miss`, any other
 * POST `hit`. Headers are the production server's own (its x-request-id a fixed copy),
 * so both put the same bytes on the wire.
 */
import http from "node:http";
import { ceilingAnswersFromEnv, sendAnswer } from "./ceiling-support";

const port = Number(process.env.PORT ?? "4000");
const hostname = process.env.HOSTNAME ?? "127.0.0.1";
const answers = ceilingAnswersFromEnv("ceiling");
const MISS_MARKER = Buffer.from("eth_getBalance");

const server = http.createServer((req, res) => {
    if (req.method === "GET") {
        req.resume();
        sendAnswer(res, 200, answers.health);
        return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => sendAnswer(res, 200, Buffer.concat(chunks).includes(MISS_MARKER) ? answers.miss : answers.hit));
});
// Same keep-alive as the app's server, so neither side closes connections mid-run.
server.keepAliveTimeout = 65_000;
server.listen(port, hostname);
process.on("SIGTERM", () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
});
