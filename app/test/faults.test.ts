/** Redis or Postgres going away under a running instance: no 5xx where the spec says none. */
import assert from "node:assert/strict";
import { AppInstance } from "../local/app";
import { addEndpoint, fixture, uniqueId } from "../local/fixture";
import { json, request, rpc } from "../local/http";
import { count, describe as describeLoad, startLoad } from "../local/load";
import { waitFor } from "../local/ports";

describe("faults (real servers stopped under a running instance)", function () {
    this.timeout(120_000);

    it("Redis stopped mid-load: every request still served (BYPASS), zero 5xx; caching resumes when it returns", async () => {
        const f = fixture();
        const endpoint = uniqueId("redisdown");
        await addEndpoint(endpoint, f.upstream.url);
        // A short memo: the test sees the answers held in memory run out, then BYPASS.
        const app = await AppInstance.start(f, { RESPONSE_MEMO_MS: "300" }, "redis-down");
        try {
            const seen = new Map<string, number>();
            // Driven by what happened, not by the clock: cached before the halt, then at
            // least 200 requests served while Redis is down.
            const run = startLoad({
                concurrency: 20,
                durationMs: 90_000,
                maxRequests: 50_000,
                send: async (n) => {
                    const method = n % 2 === 0 ? "eth_chainId" : "eth_getBalance";
                    const r = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: n, method, params: [] });
                    const key = `${method}:${String(r.headers["x-cache"])}`;
                    seen.set(key, (seen.get(key) ?? 0) + 1);
                    return r;
                },
            });
            await waitFor("a cache HIT before Redis stops", async () => (seen.get("eth_chainId:HIT") ?? 0) > 0, 60_000, 20);
            await f.redis.halt();
            const atHalt = run.result.total;
            await waitFor(
                "200 requests while Redis is down, some of them after the memo ran out",
                async () => run.result.total >= atHalt + 200 && (seen.get("eth_chainId:BYPASS") ?? 0) > 0,
                60_000,
                20,
            );
            run.stop();
            const load = await run.done;
            console.log(`      ${describeLoad(load)}; x-cache ${JSON.stringify([...seen])}`);
            assert.equal(load.errors.length, 0, describeLoad(load));
            assert.equal(count(load, (s) => s >= 500), 0, describeLoad(load));
            assert.equal(count(load, (s) => s !== 200), 0, describeLoad(load));
            assert.ok((seen.get("eth_chainId:HIT") ?? 0) > 0, "the cacheable method was cached before Redis stopped");
            assert.ok((seen.get("eth_chainId:BYPASS") ?? 0) > 0, "and served uncached (BYPASS) once the memo ran out");
            const down = await request(app.port, "GET", "/api/ready");
            assert.equal(down.status, 503);
            assert.equal((json(down) as { checks: { redis: string } }).checks.redis !== "ok", true);
        } finally {
            await f.redis.boot();
        }
        try {
            await waitFor("the instance to reconnect to Redis", async () => (await request(app.port, "GET", "/api/ready")).status === 200, 15_000, 200);
            await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 1, method: "eth_chainId" });
            const again = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 2, method: "eth_chainId" });
            assert.equal(again.headers["x-cache"], "HIT");
        } finally {
            await app.stop();
        }
    });

    it("Redis stopped: an answer this task holds in memory is still served (HIT) until RESPONSE_MEMO_MS; other calls BYPASS", async () => {
        const f = fixture();
        const endpoint = uniqueId("memo");
        await addEndpoint(endpoint, f.upstream.url);
        const app = await AppInstance.start(f, { RESPONSE_MEMO_MS: "600000" }, "redis-memo");
        try {
            const first = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 1, method: "eth_chainId" });
            assert.equal(first.headers["x-cache"], "MISS");
            // Read back from Redis once: that is when an answer enters the memo.
            const second = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 1, method: "eth_chainId" });
            assert.equal(second.headers["x-cache"], "HIT");
            const calls = f.upstream.count("eth_chainId");
            await f.redis.halt();
            try {
                const held = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 2, method: "eth_chainId" });
                assert.deepEqual([held.status, held.headers["x-cache"], json(held)], [200, "HIT", { jsonrpc: "2.0", id: 2, result: "0x1" }]);
                assert.equal(f.upstream.count("eth_chainId"), calls, "answered from memory, not upstream");
                const other = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 3, method: "eth_blockNumber" });
                assert.deepEqual([other.status, other.headers["x-cache"]], [200, "BYPASS"]);
            } finally {
                await f.redis.boot();
            }
        } finally {
            await app.stop();
        }
    });

    it("Postgres down: /api/ready says 503, endpoints already in Redis keep working, unknown ones get 503", async () => {
        const f = fixture();
        const endpoint = uniqueId("pgdown");
        await addEndpoint(endpoint, f.upstream.url);
        // Memo off: the lookup during the outage must come from Redis, not this process.
        const app = await AppInstance.start(f, { ENDPOINT_MEMO_MS: "0", READY_TIMEOUT_MS: "500" }, "pg-down");
        try {
            const warm = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 1, method: "eth_getBalance", params: [] });
            assert.equal(warm.status, 200);
            await f.pg.halt();
            try {
                const ready = await request(app.port, "GET", "/api/ready");
                assert.equal(ready.status, 503, ready.text);
                assert.notEqual((json(ready) as { checks: { postgres: string } }).checks.postgres, "ok");
                for (let i = 0; i < 5; i += 1) {
                    const r = await rpc(app.port, endpoint, { jsonrpc: "2.0", id: i, method: "eth_getBalance", params: [] });
                    assert.equal(r.status, 200, r.text);
                }
                const unknown = await rpc(app.port, uniqueId("never"), { jsonrpc: "2.0", id: 1, method: "eth_chainId" });
                assert.equal(unknown.status, 503);
                assert.equal((json(unknown) as { error: { code: number } }).error.code, -32004);
                assert.equal((await request(app.port, "GET", "/api/health")).status, 200, "liveness does not depend on Postgres");
            } finally {
                await f.pg.boot();
            }
            await waitFor("readiness after Postgres returns", async () => (await request(app.port, "GET", "/api/ready")).status === 200, 15_000, 200);
        } finally {
            await app.stop();
        }
    });
});
