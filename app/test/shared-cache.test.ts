/** The cache lives in Redis, so every instance of the fleet shares it. */
import assert from "node:assert/strict";
import { AppInstance } from "../local/app";
import { addEndpoint, fixture, uniqueId } from "../local/fixture";
import { json, rpc } from "../local/http";
import { sleep } from "../local/ports";

describe("shared cache (two instances, one Redis)", () => {
    let a: AppInstance;
    let b: AppInstance;
    before(async () => {
        [a, b] = await Promise.all([AppInstance.start(fixture(), {}, "cache-a"), AppInstance.start(fixture(), {}, "cache-b")]);
    });
    after(async () => {
        await Promise.all([a.stop(), b.stop()]);
    });

    it("instance A misses and fills, instance B hits", async () => {
        const endpoint = uniqueId("shared");
        await addEndpoint(endpoint, fixture().upstream.url);
        const fromA = await rpc(a.port, endpoint, { jsonrpc: "2.0", id: 1, method: "eth_chainId" });
        const fromB = await rpc(b.port, endpoint, { jsonrpc: "2.0", id: 2, method: "eth_chainId" });
        assert.deepEqual([fromA.headers["x-instance-id"], fromA.headers["x-cache"]], ["cache-a", "MISS"]);
        assert.deepEqual([fromB.headers["x-instance-id"], fromB.headers["x-cache"]], ["cache-b", "HIT"]);
        assert.deepEqual(json(fromB), { jsonrpc: "2.0", id: 2, result: "0x1" });
        assert.equal(fixture().upstream.count("eth_chainId"), 1, "one upstream call for the whole fleet");
    });

    it("short TTLs expire: eth_blockNumber is shared for about a second, then fetched again", async () => {
        const endpoint = uniqueId("block");
        await addEndpoint(endpoint, fixture().upstream.url);
        const call = { jsonrpc: "2.0", id: 1, method: "eth_blockNumber" };
        const first = await rpc(a.port, endpoint, call);
        const shared = await rpc(b.port, endpoint, call);
        assert.equal(first.headers["x-cache"], "MISS");
        assert.equal(shared.headers["x-cache"], "HIT");
        assert.deepEqual(json(shared), json(first));
        await sleep(2100);
        const later = await rpc(b.port, endpoint, call);
        assert.equal(later.headers["x-cache"], "MISS");
        assert.notDeepEqual(json(later), json(first), "a new block number after the TTL");
    });
});
