/**
 * The ceiling: a bare node:http server that reads the request body (as the gateway
 * must) and answers with the same JSON and headers the production server gave for the
 * path being measured, without Redis, Postgres or any routing. Whatever the gateway
 * costs beyond this is ours (or Next's), not Node's.
 *
 * CEILING_BODIES is {"hit": …, "miss": …, "health": …}: GET answers `health`; a POST
 * whose body asks for eth_getBalance answers `miss`, any other POST `hit`.
 */
import http from "node:http";

interface Bodies {
    readonly hit: string;
    readonly miss: string;
    readonly health: string;
}

function readBodies(raw: string | undefined): Bodies {
    const fallback = { hit: "{}", miss: "{}", health: '{"status":"ok"}' };
    if (raw === undefined) return fallback;
    const parsed: unknown = JSON.parse(raw);
    const text = (key: keyof Bodies): string => {
        const value = typeof parsed === "object" && parsed !== null ? Reflect.get(parsed, key) : undefined;
        return typeof value === "string" ? value : fallback[key];
    };
    return { hit: text("hit"), miss: text("miss"), health: text("health") };
}

const port = Number(process.env.PORT ?? "4000");
const hostname = process.env.HOSTNAME ?? "127.0.0.1";
const bodies = readBodies(process.env.CEILING_BODIES);
const instanceId = process.env.INSTANCE_ID ?? "ceiling";
const MISS_MARKER = Buffer.from("eth_getBalance");

function answer(res: http.ServerResponse, body: string): void {
    res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "x-instance-id": instanceId,
    });
    res.end(body);
}

const server = http.createServer((req, res) => {
    if (req.method === "GET") {
        req.resume();
        answer(res, bodies.health);
        return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => answer(res, Buffer.concat(chunks).includes(MISS_MARKER) ? bodies.miss : bodies.hit));
});
// Same keep-alive as the app's server, so neither side closes connections mid-run.
server.keepAliveTimeout = 65_000;
server.listen(port, hostname);
process.on("SIGTERM", () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
});
