/**
 * Loopback stand-ins for a fleet: small JSON-RPC backends that name themselves in
 * `x-instance-id`, and a round-robin reverse proxy in front of them (the ALB's part).
 * Everything listens on 127.0.0.1 with an ephemeral port.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Listening {
    readonly url: string;
    close(): Promise<void>;
}

export interface BackendBehaviour {
    readonly id: string;
    /** HTTP status to answer with (default 200). */
    readonly status?: number;
    /** Hold every answer this long, ms (default 0). */
    readonly delayMs?: number;
    /** Hold answers until this many ms after the server started (a stall). */
    readonly stallUntilMs?: number;
}

export async function listen(server: http.Server): Promise<Listening> {
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

export async function startBackend(behaviour: BackendBehaviour): Promise<Listening> {
    const startedAt = Date.now();
    const server = http.createServer((req, res) => {
        req.resume();
        req.on("end", () => {
            const status = behaviour.status ?? 200;
            const payload =
                status < 400
                    ? { jsonrpc: "2.0", id: 1, result: "0x10" }
                    : { jsonrpc: "2.0", id: 1, error: { code: -32603, message: "upstream failed" } };
            const send = (): void => {
                res.writeHead(status, { "content-type": "application/json", "x-instance-id": behaviour.id });
                res.end(JSON.stringify(payload));
            };
            const stall = behaviour.stallUntilMs === undefined ? 0 : startedAt + behaviour.stallUntilMs - Date.now();
            const wait = Math.max(behaviour.delayMs ?? 0, stall);
            if (wait > 0) {
                setTimeout(send, wait);
            } else {
                send();
            }
        });
    });
    return listen(server);
}

/**
 * A round-robin reverse proxy: request n goes to backend n mod k over keep-alive
 * connections, and the backend's status, headers and body come back unchanged.
 */
export async function startRoundRobinProxy(backends: readonly string[]): Promise<Listening> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    let next = 0;
    const server = http.createServer((req, res) => {
        const backend = new URL(req.url ?? "/", backends[next++ % backends.length]);
        const upstream = http.request(backend, { method: req.method, headers: req.headers, agent }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
        });
        upstream.on("error", () => {
            if (!res.headersSent) {
                res.writeHead(502, { "content-type": "text/plain" });
            }
            res.end("bad gateway");
        });
        req.pipe(upstream);
    });
    const listening = await listen(server);
    return {
        url: listening.url,
        close: async () => {
            agent.destroy();
            await listening.close();
        },
    };
}
