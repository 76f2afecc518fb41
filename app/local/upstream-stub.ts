/**
 * A local JSON-RPC upstream: answers eth_chainId, eth_blockNumber (a counter, so a
 * cached answer is told apart from a fresh one) and echoes anything else. Faults are
 * switched on per test: a delay, HTTP 500, garbage, or not listening at all; and the
 * quirks of real nodes: errors answered with `"id": null` (ganache 7 does so for id 0),
 * a call left unanswered (`drop_me`), a revert with data (`revert_please`).
 *
 * Faults per URL path, so a faulty and a healthy endpoint can share this one host (as
 * endpoints of one provider share its host): `urlFor(path)` with
 *   /hang            never answers (counted in `hanging`; `cancelled` counts those the
 *                    caller gave up on by closing the connection)
 *   /trickle         sends headers, then one byte of a never-ending answer per 100 ms
 *   /reset           destroys the connection without answering
 *   /garbage         200 with a body that is not JSON
 *   /big/<bytes>     a valid answer whose result string makes the body about <bytes>
 *   /deep/<levels>   a valid answer whose result is nested <levels> deep
 *   /chain/<hex>     like /rpc, but eth_chainId answers 0x<hex>
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface StubBehaviour {
    delayMs: number;
    fault: "none" | "http-500" | "garbage";
    /** Answer every error with `"id": null`, as if the id were lost. */
    nullErrorIds?: boolean;
}

/** What `revert_please` answers: a node's `execution reverted` with the revert data. */
export const REVERT_ERROR = {
    code: 3,
    message: "execution reverted: nope",
    data: "0x08c379a00000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000000046e6f706500000000000000000000000000000000000000000000000000000000",
};

export class UpstreamStub {
    readonly calls = new Map<string, number>();
    /** Requests to /hang (or /trickle) still open. */
    readonly hanging = new Set<http.ServerResponse>();
    /** Requests to /hang or /trickle whose caller closed the connection. */
    cancelled = 0;
    behaviour: StubBehaviour = { delayMs: 0, fault: "none" };
    private block = 0x100;
    private readonly server: http.Server;

    private constructor() {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
                if (this.pathFault(req.url ?? "/", Buffer.concat(chunks).toString("utf8"), res)) {
                    return;
                }
                const reply = (): void => this.reply(Buffer.concat(chunks).toString("utf8"), res);
                if (this.behaviour.delayMs > 0) {
                    setTimeout(reply, this.behaviour.delayMs);
                } else {
                    reply();
                }
            });
        });
        this.server.keepAliveTimeout = 60_000;
    }

    static async start(): Promise<UpstreamStub> {
        const stub = new UpstreamStub();
        await new Promise<void>((resolve) => stub.server.listen(0, "127.0.0.1", resolve));
        return stub;
    }

    get url(): string {
        return this.urlFor("rpc");
    }

    /** This stub's URL with another path: see the faults per path above. */
    urlFor(pathname: string): string {
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${pathname}`;
    }

    count(method: string): number {
        return this.calls.get(method) ?? 0;
    }

    reset(): void {
        this.calls.clear();
        this.behaviour = { delayMs: 0, fault: "none" };
        this.releaseHanging();
        this.cancelled = 0;
    }

    /** Ends every open /hang and /trickle request. */
    releaseHanging(): void {
        for (const res of this.hanging) {
            res.destroy();
        }
        this.hanging.clear();
    }

    /** Handles the path faults; false for a path answered normally. */
    private pathFault(url: string, text: string, res: http.ServerResponse): boolean {
        const [, kind = "", arg = ""] = url.split("?")[0].split("/");
        switch (kind) {
            case "hang":
            case "trickle": {
                this.hanging.add(res);
                res.on("close", () => {
                    if (this.hanging.delete(res)) {
                        this.cancelled += 1;
                    }
                });
                if (kind === "trickle") {
                    res.writeHead(200, { "content-type": "application/json" });
                    const timer = setInterval(() => res.write(" "), 100);
                    res.write("[");
                    res.on("close", () => clearInterval(timer));
                }
                return true;
            }
            case "reset":
                res.socket?.destroy();
                return true;
            case "garbage":
                res.writeHead(200, { "content-type": "application/json" }).end("{not json");
                return true;
            case "big":
            case "deep": {
                const id = this.firstId(text);
                const n = Number(arg);
                const result = kind === "big" ? `"${"a".repeat(n)}"` : `${"[".repeat(n)}${"]".repeat(n)}`;
                res.writeHead(200, { "content-type": "application/json" }).end(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${result}}`);
                return true;
            }
            case "chain": {
                const body: Json = JSON.parse(text);
                if (!Array.isArray(body) && body !== null && typeof body === "object" && body.method === "eth_chainId") {
                    this.calls.set("eth_chainId", this.count("eth_chainId") + 1);
                    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: body.id ?? null, result: `0x${arg}` }));
                    return true;
                }
                return false;
            }
            default:
                return false;
        }
    }

    private firstId(text: string): Json {
        const body: Json = JSON.parse(text);
        const first = Array.isArray(body) ? body[0] : body;
        return first !== null && typeof first === "object" && !Array.isArray(first) ? first.id ?? null : null;
    }

    private reply(text: string, res: http.ServerResponse): void {
        if (this.behaviour.fault === "http-500") {
            res.writeHead(500, { "content-type": "text/plain" }).end("upstream exploded");
            return;
        }
        if (this.behaviour.fault === "garbage") {
            res.writeHead(200, { "content-type": "application/json" }).end("{not json");
            return;
        }
        const body: Json = JSON.parse(text);
        const answer = Array.isArray(body) ? body.map((c) => this.answer(c)).filter((a) => a !== null) : this.answer(body);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    }

    private answer(call: Json): Json {
        if (call === null || typeof call !== "object" || Array.isArray(call)) {
            return { jsonrpc: "2.0", id: null, error: { code: -32600, message: "stub: bad call" } };
        }
        const method = String(call.method);
        this.calls.set(method, this.count(method) + 1);
        if (!("id" in call)) {
            return null;
        }
        const id = call.id ?? null;
        const errorId = this.behaviour.nullErrorIds === true ? null : id;
        switch (method) {
            case "eth_chainId":
                return { jsonrpc: "2.0", id, result: "0x1" };
            case "eth_blockNumber":
                this.block += 1;
                return { jsonrpc: "2.0", id, result: `0x${this.block.toString(16)}` };
            case "fail_please":
                return { jsonrpc: "2.0", id: errorId, error: { code: -32000, message: "stub: asked to fail" } };
            case "revert_please":
                return { jsonrpc: "2.0", id: errorId, error: REVERT_ERROR };
            case "drop_me":
                return null;
            default:
                return { jsonrpc: "2.0", id, result: { echo: method, params: call.params ?? null } };
        }
    }

    close(): Promise<void> {
        this.releaseHanging();
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}
