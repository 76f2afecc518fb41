/**
 * The gateway must not change what a client sees (issue 14): ids as written, node errors
 * passed through with HTTP 200, one unanswered call never failing a batch; limits that
 * admit what mainstream clients send; gzip when asked; CORS only when configured.
 * Against the upstream stub, which plays the quirks of real nodes.
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { AppInstance } from "../local/app";
import { addEndpoint, fixture, uniqueId } from "../local/fixture";
import { json, request, rpc } from "../local/http";
import { REVERT_ERROR } from "../local/upstream-stub";

type Answer = { id: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } };

describe("forwarding: the gateway is invisible to clients", () => {
    let app: AppInstance;
    let endpoint: string;
    const post = (body: string, headers?: Record<string, string>) => request(app.port, "POST", `/api/gateway?endpoint=${endpoint}`, body, { headers });

    before(async () => {
        app = await AppInstance.start(fixture(), {}, "fwd");
        endpoint = uniqueId("fwd");
        await addEndpoint(endpoint, fixture().upstream.url);
    });
    after(async () => {
        await app.stop();
    });

    it("a lone upstream error is passed through unchanged with HTTP 200, even when the node lost its id", async () => {
        for (const nullErrorIds of [false, true]) {
            fixture().upstream.behaviour = { delayMs: 0, fault: "none", nullErrorIds };
            const r = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 1, method: "revert_please", params: [] });
            assert.equal(r.status, 200, `nullErrorIds=${nullErrorIds}: ${r.text}`);
            assert.deepEqual(json(r), { jsonrpc: "2.0", id: 1, error: REVERT_ERROR });
        }
    });

    it("ethers' usual batch [eth_call, eth_chainId] with chainId cached: the revert comes back, HTTP 200", async () => {
        fixture().upstream.behaviour = { delayMs: 0, fault: "none", nullErrorIds: true };
        await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 1, method: "eth_chainId" });
        const r = await rpc(app.port, endpoint, [
            { jsonrpc: "2.0", id: 2, method: "revert_please", params: [] },
            { jsonrpc: "2.0", id: 3, method: "eth_chainId" },
        ]);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(json(r), [
            { jsonrpc: "2.0", id: 2, error: REVERT_ERROR },
            { jsonrpc: "2.0", id: 3, result: "0x1" },
        ]);
    });

    it("one call the node left unanswered gets its own error; the rest of the batch is answered, HTTP 200", async () => {
        const r = await rpc(app.port, endpoint, [
            { jsonrpc: "2.0", id: "a", method: "echo_a" },
            { jsonrpc: "2.0", id: "b", method: "drop_me" },
            { jsonrpc: "2.0", id: "c", method: "fail_please" },
        ]);
        assert.equal(r.status, 200, r.text);
        const body = json(r) as Answer[];
        assert.deepEqual(
            body.map((a) => [a.id, a.error?.code ?? "ok"]),
            [
                ["a", "ok"],
                ["b", -32002],
                ["c", -32000],
            ],
        );
    });

    it("echoes ids exactly as written: 12345678901234567890 stays 12345678901234567890", async () => {
        const single = await post('{"jsonrpc":"2.0","id":12345678901234567890,"method":"echo_x","params":[]}');
        assert.match(single.text, /^\{"jsonrpc":"2.0","id":12345678901234567890,"result":/);
        const batch = await post('[{"jsonrpc":"2.0","id":1e3,"method":"echo_x"},{"jsonrpc":"2.0","id":"\\u0041","method":"eth_chainId"}]');
        assert.match(batch.text, /^\[\{"jsonrpc":"2.0","id":1e3,"result":.*\},\{"jsonrpc":"2.0","id":"\\u0041","result":"0x1"\}\]$/);
    });

    it("a single invalid call answers with its id when the id was readable", async () => {
        const r = await post('{"jsonrpc":"2.0","id":42}');
        assert.equal(r.status, 400);
        assert.deepEqual(json(r), {
            jsonrpc: "2.0",
            id: 42,
            error: { code: -32600, message: "Invalid Request: method must be a non-empty string", data: { requestId: r.headers["x-request-id"] } },
        });
    });

    it("admits viem's default batch of 1000 calls (geth's limit) and refuses 1001 with a clear message", async () => {
        const batch = (n: number): unknown[] => Array.from({ length: n }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_getBalance", params: [`0x${i.toString(16)}`] }));
        const ok = await rpc(app.port, endpoint, batch(1000));
        assert.equal(ok.status, 200, ok.text.slice(0, 300));
        const answers = json(ok) as Answer[];
        assert.equal(answers.length, 1000);
        assert.ok(answers.every((a, i) => a.id === i && a.result !== undefined));
        const tooMany = await rpc(app.port, endpoint, batch(1001));
        assert.equal(tooMany.status, 400);
        assert.match((json(tooMany) as Answer).error?.message ?? "", /batch of 1001 calls exceeds 1000/);
    });

    it("admits a viem batch of 200 raw transactions (~1.6 MiB)", async () => {
        const rawTx = `0x${"ab".repeat(4000)}`;
        const body = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "echo_send", params: [rawTx] })));
        assert.ok(Buffer.byteLength(body) > 1.5 * 1024 * 1024);
        const r = await post(body);
        assert.equal(r.status, 200);
        assert.equal((json(r) as Answer[]).length, 200);
    });

    it("gzips a large answer when the client accepts gzip, and only then", async () => {
        const call = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "echo_block", params: ["ab".repeat(50_000)] });
        const zipped = await post(call, { "accept-encoding": "gzip, deflate" });
        assert.equal(zipped.headers["content-encoding"], "gzip");
        assert.match(String(zipped.headers.vary), /Accept-Encoding/);
        const plain = await post(call);
        assert.equal(plain.headers["content-encoding"], undefined);
        assert.equal(gunzipSync(zipped.bytes).toString("utf8"), plain.text);
        assert.ok(zipped.bytes.length * 5 < Buffer.byteLength(plain.text), "hex compresses well");
    });

    it("every API answer carries its Content-Length, never chunked framing: hits, errors, gzip, probes, HEAD", async () => {
        const hitCall = '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}';
        await post(hitCall);
        const answers = {
            hit: await post(hitCall),
            "parse error": await post("{"),
            gzip: await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "echo_block", params: ["ab".repeat(5_000)] }), { "accept-encoding": "gzip" }),
            health: await request(app.port, "GET", "/api/health"),
            "HEAD health": await request(app.port, "HEAD", "/api/health"),
        };
        assert.equal(answers.hit.headers["x-cache"], "HIT");
        assert.equal(answers.gzip.headers["content-encoding"], "gzip");
        for (const [name, r] of Object.entries(answers)) {
            assert.equal(r.headers["transfer-encoding"], undefined, name);
            const declared = Number(r.headers["content-length"]);
            assert.ok(declared > 0, `${name}: content-length ${r.headers["content-length"]}`);
            // HEAD declares the length a GET would get and sends no body.
            assert.equal(r.bytes.length, name.startsWith("HEAD") ? 0 : declared, name);
        }
    });

    it("CORS is off by default: a preflight gets 405 and answers carry no allow-origin", async () => {
        const pre = await request(app.port, "OPTIONS", `/api/gateway?endpoint=${endpoint}`, undefined, {
            headers: { origin: "https://app.example.com", "access-control-request-method": "POST" },
        });
        assert.equal(pre.status, 405);
        const r = await post('{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}', { origin: "https://app.example.com" });
        assert.equal(r.headers["access-control-allow-origin"], undefined);
    });
});

describe("forwarding: configured limits and CORS", () => {
    let app: AppInstance;
    let endpoint: string;

    before(async () => {
        app = await AppInstance.start(
            fixture(),
            { RPC_MAX_BATCH: "3", RPC_MAX_BODY_BYTES: "2048", CORS_ORIGINS: "https://app.example.com,http://localhost:5173" },
            "fwd-cfg",
        );
        endpoint = uniqueId("fwdcfg");
        await addEndpoint(endpoint, fixture().upstream.url);
    });
    after(async () => {
        await app.stop();
    });

    it("RPC_MAX_BATCH and RPC_MAX_BODY_BYTES replace the defaults", async () => {
        const calls = (n: number): unknown[] => Array.from({ length: n }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "echo" }));
        assert.equal((await rpc(app.port, endpoint, calls(3))).status, 200);
        const four = await rpc(app.port, endpoint, calls(4));
        assert.equal(four.status, 400);
        assert.match(four.text, /batch of 4 calls exceeds 3/);
        const big = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 1, method: "x", params: ["a".repeat(2048)] });
        assert.equal(big.status, 413);
        assert.match(big.text, /the body exceeds 2048 bytes/);
    });

    it("answers an allowed origin's preflight and tags its answers; other origins get nothing", async () => {
        const path = `/api/gateway?endpoint=${endpoint}`;
        const pre = await request(app.port, "OPTIONS", path, undefined, {
            headers: { origin: "http://localhost:5173", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
        });
        assert.equal(pre.status, 204);
        assert.equal(pre.headers["access-control-allow-origin"], "http://localhost:5173");
        assert.equal(pre.headers["access-control-allow-methods"], "POST, OPTIONS");
        assert.equal(pre.headers["access-control-allow-headers"], "content-type");
        const r = await request(app.port, "POST", path, '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}', { headers: { origin: "https://app.example.com" } });
        assert.equal(r.status, 200);
        assert.equal(r.headers["access-control-allow-origin"], "https://app.example.com");
        assert.match(String(r.headers.vary), /Origin/);
        const other = await request(app.port, "OPTIONS", path, undefined, { headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
        assert.equal(other.status, 405);
        assert.equal(other.headers["access-control-allow-origin"], undefined);
    });
});
