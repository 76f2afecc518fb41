/** The cache lives in Redis, so every instance of the fleet shares it. */
import assert from "node:assert/strict";
import { AppInstance } from "../local/app";
import { addEndpoint, fixture, uniqueId } from "../local/fixture";
import { json, rpc } from "../local/http";
import { sleep } from "../local/ports";

const BLOCK_TTL_S = 4;

describe("shared cache (two instances, one Redis)", () => {
    let a: AppInstance;
    let b: AppInstance;
    before(async () => {
        // eth_blockNumber for 4 s instead of the default 1 s: the "shared" request must land
        // inside the TTL, and on a loaded machine two requests can be a second apart.
        const env = { CACHE_TTLS: `eth_chainId=3600,eth_blockNumber=${BLOCK_TTL_S}` };
        [a, b] = await Promise.all([AppInstance.start(fixture(), env, "cache-a"), AppInstance.start(fixture(), env, "cache-b")]);
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

    it("short TTLs expire: eth_blockNumber is shared for its TTL, then fetched again", async () => {
        const endpoint = uniqueId("block");
        await addEndpoint(endpoint, fixture().upstream.url);
        // B knows the endpoint before the timed part starts (its lookup is not in the window).
        assert.equal((await rpc(b.port, endpoint, { jsonrpc: "2.0", id: 0, method: "net_listening" })).status, 200);
        const call = { jsonrpc: "2.0", id: 1, method: "eth_blockNumber" };
        const first = await rpc(a.port, endpoint, call);
        const shared = await rpc(b.port, endpoint, call);
        assert.equal(first.headers["x-cache"], "MISS");
        assert.equal(shared.headers["x-cache"], "HIT");
        assert.deepEqual(json(shared), json(first));
        await sleep(BLOCK_TTL_S * 1000 + 100);
        const later = await rpc(b.port, endpoint, call);
        assert.equal(later.headers["x-cache"], "MISS");
        assert.notDeepEqual(json(later), json(first), "a new block number after the TTL");
    });
});
