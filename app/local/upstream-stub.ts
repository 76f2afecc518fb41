/**
 * A local JSON-RPC upstream: answers eth_chainId, eth_blockNumber (a counter, so a
 * cached answer is told apart from a fresh one) and echoes anything else. Faults are
 * switched on per test: a delay, HTTP 500, garbage, or not listening at all; and the
 * quirks of real nodes: errors answered with `"id": null` (ganache 7 does so for id 0),
 * a call left unanswered (`drop_me`), a revert with data (`revert_please`).
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
    behaviour: StubBehaviour = { delayMs: 0, fault: "none" };
    private block = 0x100;
    private readonly server: http.Server;

    private constructor() {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
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
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/rpc`;
    }

    count(method: string): number {
        return this.calls.get(method) ?? 0;
    }

    reset(): void {
        this.calls.clear();
        this.behaviour = { delayMs: 0, fault: "none" };
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
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}
