/**
 * A tiny round-robin reverse proxy on loopback, standing in for the ALB when the load
 * test is tried locally: request n goes to backend n mod k over keep-alive connections,
 * and the backend's status, headers (x-instance-id among them) and body come back as is.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Listening {
    readonly url: string;
    close(): Promise<void>;
}

/** Listens on 127.0.0.1 (port 0: the OS picks one) and returns the URL and a closer. */
export async function listen(server: http.Server, port = 0): Promise<Listening> {
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    const address: AddressInfo | string | null = server.address();
    if (address === null || typeof address === "string") {
        throw new Error(`expected a TCP address for the server, got ${String(address)}`);
    }
    return {
        url: `http://127.0.0.1:${address.port}`,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

export async function startRoundRobinProxy(backends: readonly string[], port = 0): Promise<Listening> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    let next = 0;
    const server = http.createServer((req, res) => {
        const backend = new URL(req.url ?? "/", backends[next++ % backends.length]);
        const upstream = http.request(backend, { method: req.method, headers: req.headers, agent }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
        });
        // As an ALB does: a backend that cannot be reached is a 502 from the proxy.
        upstream.on("error", () => {
            if (!res.headersSent) {
                res.writeHead(502, { "content-type": "text/plain" });
            }
            res.end("bad gateway");
        });
        req.pipe(upstream);
    });
    const listening = await listen(server, port);
    return {
        url: listening.url,
        close: async () => {
            agent.destroy();
            await listening.close();
        },
    };
}
