/** Minimal HTTP client for the tests: node:http with a keep-alive agent, bounded by a timeout. */
import http from "node:http";

export interface Reply {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly text: string;
    /** The body's bytes as received (e.g. still gzipped). */
    readonly bytes: Buffer;
}

export const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 512 });

export function request(
    port: number,
    method: string,
    path: string,
    body?: string | Buffer,
    options: { headers?: Record<string, string>; timeoutMs?: number; agent?: http.Agent | false } = {},
): Promise<Reply> {
    return new Promise((resolve, reject) => {
        const req = http.request(
            {
                host: "127.0.0.1",
                port,
                method,
                path,
                agent: options.agent ?? keepAlive,
                headers: {
                    ...(body === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }),
                    ...options.headers,
                },
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("error", reject);
                res.on("end", () => {
                    const bytes = Buffer.concat(chunks);
                    resolve({ status: res.statusCode ?? 0, headers: res.headers, text: bytes.toString("utf8"), bytes });
                });
            },
        );
        req.setTimeout(options.timeoutMs ?? 15_000, () => req.destroy(new Error(`request timed out: ${method} ${path}`)));
        req.on("error", reject);
        req.end(body);
    });
}

export function rpc(port: number, endpoint: string, payload: unknown): Promise<Reply> {
    return request(port, "POST", `/api/gateway?endpoint=${encodeURIComponent(endpoint)}`, JSON.stringify(payload));
}

export function json(reply: { readonly text: string }): unknown {
    return JSON.parse(reply.text);
}
