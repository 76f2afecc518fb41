/** The gateway against real Redis and Postgres: answers, cache headers, and every bad input. */
import assert from "node:assert/strict";
import { AppInstance } from "../local/app";
import { addEndpoint, fixture, uniqueId } from "../local/fixture";
import { json, request, rpc } from "../local/http";
import { freePort } from "../local/ports";

describe("gateway (production build, one instance)", () => {
    let app: AppInstance;
    let endpoint: string;

    before(async () => {
        app = await AppInstance.start(fixture(), { UPSTREAM_TIMEOUT_MS: "500" }, "gw");
        endpoint = uniqueId("gw");
        await addEndpoint(endpoint, fixture().upstream.url);
    });
    after(async () => {
        await app.stop();
    });

    it("health answers without I/O: instance id and version", async () => {
        const r = await request(app.port, "GET", "/api/health");
        assert.equal(r.status, 200);
        assert.equal(r.headers["x-instance-id"], "gw");
        const body = json(r);
        assert.deepEqual(Object.keys(body as object).sort(), ["instanceId", "status", "uptimeSeconds", "version"]);
        assert.match((body as { version: string }).version, /^0\.1\.0\+/);
    });

    it("ready checks Redis and Postgres", async () => {
        const r = await request(app.port, "GET", "/api/ready");
        assert.equal(r.status, 200, r.text);
        assert.deepEqual((json(r) as { checks: unknown }).checks, { redis: "ok", postgres: "ok" });
    });

    it("caches a cacheable method: MISS then HIT, one upstream call; headers on every response", async () => {
        const first = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 1, method: "eth_chainId" });
        const second = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: "two", method: "eth_chainId" });
        assert.equal(first.headers["x-cache"], "MISS");
        assert.equal(second.headers["x-cache"], "HIT");
        assert.equal(second.headers["x-instance-id"], "gw");
        assert.deepEqual(json(second), { jsonrpc: "2.0", id: "two", result: "0x1" });
        assert.equal(fixture().upstream.count("eth_chainId"), 1);
    });

    it("does not cache other methods (BYPASS) and passes upstream errors through", async () => {
        const r = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 7, method: "eth_getBalance", params: ["0xabc", "latest"] });
        assert.equal(r.status, 200);
        assert.equal(r.headers["x-cache"], "BYPASS");
        assert.deepEqual(json(r), { jsonrpc: "2.0", id: 7, result: { echo: "eth_getBalance", params: ["0xabc", "latest"] } });
        const e = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 8, method: "fail_please" });
        assert.equal(e.status, 200);
        assert.deepEqual(json(e), { jsonrpc: "2.0", id: 8, error: { code: -32000, message: "stub: asked to fail" } });
    });

    it("answers batches in order, keeps duplicate ids apart, drops notifications, flags invalid members", async () => {
        const r = await rpc(app.port, endpoint, [
            { jsonrpc: "2.0", id: 1, method: "echo_a" },
            { jsonrpc: "2.0", id: 1, method: "echo_b" },
            { jsonrpc: "2.0", method: "notify_me" },
            { jsonrpc: "1.0", id: 3, method: "bad" },
        ]);
        assert.equal(r.status, 200);
        const body = json(r) as { id: unknown; result?: { echo: string }; error?: { code: number } }[];
        assert.equal(body.length, 3);
        assert.equal(body[0].result?.echo, "echo_a");
        assert.equal(body[1].result?.echo, "echo_b");
        assert.deepEqual([body[2].id, body[2].error?.code], [3, -32600]);
        assert.equal(fixture().upstream.count("notify_me"), 1);
    });

    it("a notification alone gets 204 and no body", async () => {
        const r = await rpc(app.port, endpoint, { jsonrpc: "2.0", method: "notify_me" });
        assert.equal(r.status, 204);
        assert.equal(r.text, "");
    });

    const rpcError = (r: { text: string }): { code: number; message: string } => (json(r) as { error: { code: number; message: string } }).error;

    it("invalid JSON → 400 with -32700", async () => {
        const r = await request(app.port, "POST", `/api/gateway?endpoint=${endpoint}`, '{"jsonrpc": "2.0",');
        assert.equal(r.status, 400);
        assert.equal(rpcError(r).code, -32700);
        assert.equal(r.headers["x-cache"], "BYPASS");
        assert.equal(r.headers["x-instance-id"], "gw");
    });

    for (const [what, body] of [
        ["an empty batch", "[]"],
        ["a number", "42"],
        ["a wrong version", '{"jsonrpc":"1.0","method":"eth_chainId","id":1}'],
        ["a missing method", '{"jsonrpc":"2.0","id":1}'],
        ["scalar params", '{"jsonrpc":"2.0","method":"x","params":5,"id":1}'],
    ]) {
        it(`invalid request (${what}) → 400 with -32600`, async () => {
            const r = await request(app.port, "POST", `/api/gateway?endpoint=${endpoint}`, body);
            assert.equal(r.status, 400);
            assert.equal(rpcError(r).code, -32600);
        });
    }

    it("unknown endpoint → 404 with a JSON error; missing endpoint → 400", async () => {
        const r = await rpc(app.port, "no_such_endpoint", { jsonrpc: "2.0", id: 1, method: "eth_chainId" });
        assert.equal(r.status, 404);
        assert.match(rpcError(r).message, /Unknown endpoint "no_such_endpoint"/);
        const missing = await request(app.port, "POST", "/api/gateway", '{"jsonrpc":"2.0","id":1,"method":"x"}');
        assert.equal(missing.status, 400);
        assert.equal(rpcError(missing).code, -32600);
    });

    it("wrong method → 405", async () => {
        const r = await request(app.port, "GET", `/api/gateway?endpoint=${endpoint}`);
        assert.equal(r.status, 405);
        assert.equal(r.headers.allow, "POST");
    });

    it("body over 5 MiB (geth's limit) → 413, and the server keeps serving", async () => {
        const limit = 5 * 1024 * 1024;
        const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "x", params: ["a".repeat(limit)] });
        const r = await request(app.port, "POST", `/api/gateway?endpoint=${endpoint}`, big);
        assert.equal(r.status, 413);
        assert.equal(rpcError(r).code, -32600);
        assert.match(rpcError(r).message, /exceeds 5 MiB \(5242880 bytes\)/);
        const exactlyLimit = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "x", params: [""] });
        const padded = exactlyLimit + " ".repeat(limit - Buffer.byteLength(exactlyLimit));
        assert.equal((await request(app.port, "POST", `/api/gateway?endpoint=${endpoint}`, padded)).status, 200, "exactly 5 MiB is allowed");
        assert.equal((await request(app.port, "GET", "/api/health")).status, 200);
    });

    it("upstream down → 502 with a JSON-RPC error", async () => {
        const dead = uniqueId("dead");
        await addEndpoint(dead, `http://127.0.0.1:${await freePort()}/`);
        const r = await rpc(app.port, dead, { jsonrpc: "2.0", id: 5, method: "eth_getBalance", params: [] });
        assert.equal(r.status, 502);
        assert.deepEqual([(json(r) as { id: number }).id, rpcError(r).code], [5, -32002]);
    });

    it("upstream slow → 504 after UPSTREAM_TIMEOUT_MS", async () => {
        // The stub answers 200 after 1.5 s: a 504 shows the gateway gave up first, with no
        // clock in the assertion (the verdict must not depend on the machine's load).
        fixture().upstream.behaviour = { delayMs: 1500, fault: "none" };
        const r = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 6, method: "eth_getBalance", params: [] });
        assert.equal(r.status, 504);
        assert.equal(rpcError(r).code, -32003);
    });

    it("upstream HTTP 500 or garbage → 502", async () => {
        for (const fault of ["http-500", "garbage"] as const) {
            fixture().upstream.behaviour = { delayMs: 0, fault };
            const r = await rpc(app.port, endpoint, [{ jsonrpc: "2.0", id: 1, method: "eth_getBalance", params: [] }]);
            assert.equal(r.status, 502, fault);
            assert.equal((json(r) as { error: { code: number } }[])[0].error.code, -32002);
        }
    });

    it("Next still serves the home page and a static asset from public/", async () => {
        const page = await request(app.port, "GET", "/");
        assert.equal(page.status, 200);
        assert.match(page.text, /webfleet gateway/);
        const robots = await request(app.port, "GET", "/robots.txt");
        assert.equal(robots.status, 200);
        assert.match(robots.text, /User-agent/);
    });
});
