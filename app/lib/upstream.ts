/**
 * Forwards a JSON-RPC payload to an upstream over keep-alive connections, with a hard
 * deadline for the whole exchange. Never throws: the gateway maps the result kinds to
 * 502 (unavailable) and 504 (timeout).
 */
import http from "node:http";
import https from "node:https";

export type UpstreamResult =
    | { readonly kind: "ok"; readonly body: unknown }
    | { readonly kind: "timeout" }
    | { readonly kind: "unavailable"; readonly detail: string };

/** Upstream answers larger than this are treated as faults rather than buffered. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export class UpstreamClient {
    // Reusing connections matters: a TLS handshake per call costs more than the call.
    private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
    private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });

    constructor(private readonly timeoutMs: number) {}

    post(url: URL, payload: string): Promise<UpstreamResult> {
        return new Promise((resolve) => {
            let settled = false;
            const finish = (result: UpstreamResult): void => {
                if (!settled) {
                    settled = true;
                    clearTimeout(timer);
                    resolve(result);
                }
            };
            const transport = url.protocol === "https:" ? https : http;
            const req = transport.request(
                url,
                {
                    method: "POST",
                    agent: url.protocol === "https:" ? this.httpsAgent : this.httpAgent,
                    headers: {
                        "content-type": "application/json",
                        "content-length": Buffer.byteLength(payload),
                        accept: "application/json",
                    },
                },
                (res) => {
                    const chunks: Buffer[] = [];
                    let size = 0;
                    res.on("data", (chunk: Buffer) => {
                        size += chunk.length;
                        if (size > MAX_RESPONSE_BYTES) {
                            req.destroy();
                            finish({ kind: "unavailable", detail: "upstream response too large" });
                            return;
                        }
                        chunks.push(chunk);
                    });
                    res.on("error", (error) => finish({ kind: "unavailable", detail: error.message }));
                    res.on("end", () => {
                        const status = res.statusCode ?? 0;
                        if (status < 200 || status > 299) {
                            finish({ kind: "unavailable", detail: `upstream answered HTTP ${status}` });
                            return;
                        }
                        finish(parseJson(Buffer.concat(chunks).toString("utf8")));
                    });
                },
            );
            const timer = setTimeout(() => {
                finish({ kind: "timeout" });
                req.destroy();
            }, this.timeoutMs);
            req.on("error", (error) => finish({ kind: "unavailable", detail: error.message }));
            req.end(payload);
        });
    }

    close(): void {
        this.httpAgent.destroy();
        this.httpsAgent.destroy();
    }
}

function parseJson(text: string): UpstreamResult {
    if (text.trim() === "") {
        // An upstream may answer a batch of notifications with an empty body.
        return { kind: "ok", body: undefined };
    }
    try {
        return { kind: "ok", body: JSON.parse(text) };
    } catch {
        return { kind: "unavailable", detail: "upstream answered with invalid JSON" };
    }
}
