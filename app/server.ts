/**
 * The production server: a lean node:http server that answers /api/gateway, /api/health
 * and /api/ready with plain functions (lib/routes.ts) and hands every other request to
 * Next's request handler (pages, static assets).
 *
 * Why not Next's generated standalone server: on these 2-core machines it does ~900
 * req/s on a trivial route against ~16,700 for bare node:http, and the gateway's
 * cache-hit path has to reach a quarter of the latter.
 *
 * It also owns the task's lifecycle: validate the environment before anything else
 * (exit 1 with one message naming every bad variable), and on SIGTERM stop accepting,
 * finish in-flight requests, close the pool and Redis, and exit within
 * SHUTDOWN_TIMEOUT_MS (default 25 s, inside the 30 s container stop timeout).
 *
 * Client limits (a hostile or broken client must not hold a socket for minutes): the
 * headers must arrive within CLIENT_HEADERS_TIMEOUT_MS, the whole request within
 * CLIENT_REQUEST_TIMEOUT_MS (checked every second, not Node's default 30 s), and at most
 * MAX_CLIENT_CONNECTIONS sockets are open at once (more are closed on accept). A client
 * that disconnects cancels its upstream call.
 *
 * scripts/build.js compiles this to .next/standalone/server.js, replacing Next's.
 */
import "./lib/force-production";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import next from "next";
import type { NextConfig } from "next";
import { type ApiHeaders, type ApiRequest, type ApiResponse, apiHeaders, bodyBytes, mergeHeaders, newTrace, NOT_WATCHING, type RequestTrace } from "./lib/api";
import { maybeGzip } from "./lib/compress";
import { type AppConfig, formatProblems, readConfig } from "./lib/env";
import { cameOverHttps, HSTS_HEADER, HSTS_VALUE } from "./lib/hsts";
import { errorMessage, log } from "./lib/log";
import { type RequestIds, requestIds } from "./lib/request-id";
import { API_ROUTES, REQUEST_ID_HEADER, runRoute } from "./lib/routes";
import { createRuntime, type Runtime } from "./lib/runtime";
import type { WatchClient } from "./lib/upstream";

const APP_DIR = __dirname;

/** The ALB keeps idle connections for 60 s; a target that closes first causes 502s. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

function main(): void {
    const result = readConfig(process.env);
    if (!result.ok) {
        process.stderr.write(`${formatProblems(result.problems)}\n`);
        process.exit(1);
    }
    start(result.config).catch((error: unknown) => {
        log("error", "server failed to start", { error: errorMessage(error) });
        process.exit(1);
    });
}

/** The config `next build` recorded; Next's generated server.js inlines the same object. */
function readNextConfig(): NextConfig {
    const file = path.join(APP_DIR, ".next", "required-server-files.json");
    const required: { config: NextConfig } = JSON.parse(fs.readFileSync(file, "utf8"));
    return required.config;
}

async function start(config: AppConfig): Promise<void> {
    const rt = createRuntime(config, APP_DIR);
    // Size the pool to the live max_connections before taking requests (bounded: an
    // unreachable database is retried in the background, with one connection meanwhile).
    await Promise.race([rt.poolGuard.check(), new Promise((r) => setTimeout(r, config.pg.connectTimeoutMs).unref())]);
    void rt.schema.ensure();

    const nextConfig = readNextConfig();
    // Next's standalone mode reads its config from here instead of loading next.config.
    process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(nextConfig);
    const app = next({ dev: false, dir: APP_DIR, hostname: config.hostname, port: config.port, conf: nextConfig });
    await app.prepare();
    const handleNext = app.getRequestHandler();
    const lean = config.apiRouter === "lean";

    // How often node:http checks the header and request timeouts (default 30 s, which let
    // a 10 s limit become 40 s).
    const server = http.createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
        if (rt.draining) {
            // Tell keep-alive clients not to reuse this connection: we are going away.
            res.setHeader("connection", "close");
        }
        // Set before any route writes its head: writeHead merges headers set here.
        if (cameOverHttps(req.headers["x-forwarded-proto"])) {
            res.setHeader(HSTS_HEADER, HSTS_VALUE);
        }
        const url = req.url ?? "/";
        const q = url.indexOf("?");
        const pathname = q === -1 ? url : url.slice(0, q);
        const route = lean ? API_ROUTES.get(pathname) : undefined;
        const ids = requestIds(req.headers["x-amzn-trace-id"], req.headers[REQUEST_ID_HEADER]);
        if (route !== undefined) {
            serveApi(route, new NodeApiRequest(req, res, pathname, q === -1 ? "" : url.slice(q + 1), ids), rt, res).catch((error: unknown) => {
                // Only writing the response can fail here (runRoute catches the rest); an
                // unhandled rejection would take the whole task down, so drop this socket.
                log("error", "failed to write API response", { error: errorMessage(error), requestId: ids.requestId });
                res.destroy();
            });
            return;
        }
        res.setHeader("x-instance-id", rt.instanceId);
        // Stops browsers from sniffing a page or asset into something else (API answers
        // carry the same header from jsonResponse).
        res.setHeader("x-content-type-options", "nosniff");
        res.setHeader(REQUEST_ID_HEADER, ids.requestId);
        handleNext(req, res).catch((error: unknown) => {
            log("error", "next request handler failed", { error: errorMessage(error), requestId: ids.requestId, path: pathname });
            if (!res.headersSent) {
                res.writeHead(500, { "content-type": "text/plain" });
            }
            res.end();
        });
    });
    // Idle keep-alive connections are not subject to the two timeouts below: those only
    // run while a request is being received.
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.headersTimeout = config.clients.headersTimeoutMs;
    server.requestTimeout = config.clients.requestTimeoutMs;
    server.maxConnections = config.clients.maxConnections;

    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, config.hostname, () => resolve());
    });
    log("info", "listening", {
        url: `http://${config.hostname}:${config.port}`,
        instanceId: rt.instanceId,
        version: rt.version,
        apiRouter: config.apiRouter,
        poolMax: config.pg.poolMax,
        pool: rt.poolGuard.state,
    });

    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
        if (!stopping) {
            stopping = true;
            void shutdown(server, rt, signal);
        }
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
}

/**
 * The lean server's ApiRequest. A class, not an object literal: a literal with a getter
 * is built through a slow runtime path and every property read on it goes slow too —
 * measured side by side (tools/bench, `--baseline`), the literal with `get signal()`
 * cost the cache-hit and health paths about a third of their throughput.
 */
class NodeApiRequest implements ApiRequest {
    readonly method: string;
    readonly trace: RequestTrace;
    readonly contentLength: number | undefined;
    readonly body: AsyncIterable<Uint8Array>;
    readonly headers: ApiHeaders;
    readonly watchClient: WatchClient;

    constructor(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, readonly search: string, ids: RequestIds) {
        const length = req.headers["content-length"];
        this.method = req.method ?? "GET";
        this.trace = newTrace(pathname, ids);
        this.contentLength = length === undefined ? undefined : Number(length);
        this.body = req;
        this.headers = apiHeaders((name) => {
            const value = req.headers[name];
            return Array.isArray(value) ? value.join(", ") : value;
        });
        this.watchClient = (cancel) => watchResponse(req, res, cancel);
    }
}

/**
 * The client went away when its response closes unfinished. A listener on the response,
 * not an AbortController: on the cache-miss path the controller and its EventTarget
 * listeners cost about a seventh of the CPU per request (BENCHMARKS.md, run 10).
 */
function watchResponse(req: http.IncomingMessage, res: http.ServerResponse, cancel: () => void): () => void {
    if (res.destroyed || req.socket.destroyed) {
        cancel();
        return NOT_WATCHING;
    }
    const onClose = (): void => {
        if (!res.writableFinished) {
            cancel();
        }
    };
    res.once("close", onClose);
    return () => res.off("close", onClose);
}

async function serveApi(
    route: NonNullable<ReturnType<typeof API_ROUTES.get>>,
    req: ApiRequest,
    rt: Runtime,
    res: http.ServerResponse,
): Promise<void> {
    // gzip here, not in runRoute: on the API_ROUTER=next path Next compresses by itself.
    const answer = maybeGzip(await runRoute(route, req, rt), req.headers["accept-encoding"]);
    const out: ApiResponse = answer instanceof Promise ? await answer : answer;
    if (out.closeConnection) {
        res.setHeader("connection", "close");
    }
    if (out.status === 204) {
        res.writeHead(out.status, out.headers);
        res.end();
        return;
    }
    // The answer is whole before its head is written: send its length. Without it node
    // frames every answer as chunked (the head goes out before end() sees the body),
    // which is more bytes on the wire and more work per answer.
    res.writeHead(out.status, mergeHeaders(out.headers, { "content-length": String(bodyBytes(out.body)) }));
    res.end(out.body);
}

/**
 * By the time ECS sends SIGTERM the ALB has already deregistered the task (the
 * deregistration delay runs first), so no new requests are coming: stop listening,
 * let in-flight requests finish, close idle keep-alive connections, then release the
 * pool and Redis. Anything still running at the drain deadline is cut so the process
 * exits before ECS's SIGKILL.
 */
async function shutdown(server: http.Server, rt: Runtime, signal: string): Promise<void> {
    const started = Date.now();
    const budget = rt.config.shutdownTimeoutMs;
    // Keep the last quarter (at most 2 s) for closing the pool and Redis.
    const closeBudget = Math.min(2000, Math.floor(budget / 4));
    log("info", "shutting down", { signal, drainTimeoutMs: budget - closeBudget });
    rt.draining = true;

    const hardStop = setTimeout(() => {
        log("error", "shutdown exceeded SHUTDOWN_TIMEOUT_MS; exiting now", { shutdownTimeoutMs: budget });
        process.exit(1);
    }, budget);

    const drained = await new Promise<boolean>((resolve) => {
        const deadline = setTimeout(() => resolve(false), budget - closeBudget);
        // Idle keep-alive sockets would hold server.close() open until their timeout.
        const sweep = setInterval(() => server.closeIdleConnections(), 100);
        server.close(() => {
            clearTimeout(deadline);
            clearInterval(sweep);
            resolve(true);
        });
    });
    if (!drained) {
        log("warn", "drain deadline reached; closing remaining connections");
        server.closeAllConnections();
    }
    await rt.close();
    clearTimeout(hardStop);
    log("info", "shutdown complete", { drained, ms: Date.now() - started });
    process.exit(drained ? 0 : 1);
}

main();
