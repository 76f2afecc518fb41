/**
 * The in-process memo of cached answers (lib/response-memo.ts) and the cache layer that
 * puts it in front of Redis (lib/response-cache.ts). No servers: a fake clock and a fake
 * shared cache; the real Redis is in shared-cache.test.ts and faults.test.ts.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeStored, encodeStored, ResponseCache } from "../lib/response-cache";
import { ENTRY_OVERHEAD_BYTES, entryBytes, MAX_ENTRY_SHARE, ResponseMemo } from "../lib/response-memo";

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
    let t = start;
    return { now: () => t, advance: (ms) => (t += ms) };
}

describe("response memo (the task's copy of hot cached answers)", () => {
    it("serves an entry until the earlier of its cache expiry and RESPONSE_MEMO_MS, never at or after it", () => {
        const c = clock();
        const memo = new ResponseMemo(5000, 1 << 20, c.now);
        memo.set("long", '"0x1"', c.now() + 3_600_000); // expires in Redis in an hour: the memo age limits it
        memo.set("short", '"0x2"', c.now() + 1000); // expires in Redis in a second: that limits it
        c.advance(999);
        assert.deepEqual([memo.get("long"), memo.get("short")], ['"0x1"', '"0x2"']);
        c.advance(1);
        assert.deepEqual([memo.get("long"), memo.get("short")], ['"0x1"', undefined]);
        c.advance(3999);
        assert.equal(memo.get("long"), '"0x1"');
        c.advance(1);
        assert.equal(memo.get("long"), undefined);
        assert.deepEqual([memo.size, memo.bytes], [0, 0], "expired entries are dropped when read");
    });

    it("does not keep an answer that has already expired", () => {
        const c = clock();
        const memo = new ResponseMemo(5000, 1 << 20, c.now);
        memo.set("k", "1", c.now());
        memo.set("j", "1", c.now() - 1);
        assert.deepEqual([memo.size, memo.get("k"), memo.get("j")], [0, undefined, undefined]);
    });

    it("is off when either limit is 0: nothing is stored, and storing removes an older copy", () => {
        const c = clock();
        for (const [age, bytes] of [
            [0, 1 << 20],
            [5000, 0],
        ]) {
            const memo = new ResponseMemo(age, bytes, c.now);
            memo.set("k", "1", c.now() + 1000);
            assert.deepEqual([memo.size, memo.bytes, memo.get("k")], [0, 0, undefined]);
        }
    });

    it("counts keys and answers as UTF-16 plus a fixed overhead, and replaces an entry's bytes on update", () => {
        assert.equal(entryBytes("ab", "xyz"), 74);
        assert.equal(ENTRY_OVERHEAD_BYTES, 64);
        const c = clock();
        const memo = new ResponseMemo(5000, 1 << 20, c.now);
        memo.set("key", "first answer", c.now() + 1000);
        assert.equal(memo.bytes, entryBytes("key", "first answer"));
        memo.set("key", "2nd", c.now() + 1000);
        assert.deepEqual([memo.size, memo.bytes, memo.get("key")], [1, entryBytes("key", "2nd"), "2nd"]);
    });

    it("when full, the entries stored first go first, until the new one fits", () => {
        const c = clock();
        const each = entryBytes("k00", "v");
        const memo = new ResponseMemo(5000, MAX_ENTRY_SHARE * each + each - 1, c.now); // room for 16 entries, not 17
        for (let i = 0; i < 20; i += 1) {
            memo.set(`k${String(i).padStart(2, "0")}`, "v", c.now() + 1000);
        }
        assert.deepEqual([memo.size, memo.bytes], [MAX_ENTRY_SHARE, MAX_ENTRY_SHARE * each]);
        assert.deepEqual(
            ["k03", "k04", "k19"].map((k) => memo.get(k)),
            [undefined, "v", "v"],
            "k00–k03 were stored first and went first",
        );
    });

    it("a budget of exactly sixteen entries holds sixteen: an entry that just fits evicts nothing", () => {
        const c = clock();
        const each = entryBytes("k00", "v");
        const memo = new ResponseMemo(5000, MAX_ENTRY_SHARE * each, c.now);
        for (let i = 0; i < MAX_ENTRY_SHARE; i += 1) {
            memo.set(`k${String(i).padStart(2, "0")}`, "v", c.now() + 1000);
        }
        assert.deepEqual([memo.size, memo.bytes, memo.get("k00")], [MAX_ENTRY_SHARE, MAX_ENTRY_SHARE * each, "v"]);
    });

    it("an answer larger than a sixteenth of the budget is not kept (one big block cannot flush the rest)", () => {
        const c = clock();
        const limit = entryBytes("k", "x".repeat(100)) * MAX_ENTRY_SHARE;
        const memo = new ResponseMemo(5000, limit, c.now);
        memo.set("k", "x".repeat(100), c.now() + 1000);
        memo.set("j", "x".repeat(101), c.now() + 1000);
        assert.deepEqual([memo.get("k"), memo.get("j")], ["x".repeat(100), undefined]);
    });

    it("matches a model: never above its budget, never serves past either limit, serves what fits", () => {
        const op = fc.oneof(
            fc.record({ kind: fc.constant("set" as const), key: fc.integer({ min: 0, max: 7 }), size: fc.integer({ min: 0, max: 60 }), ttl: fc.integer({ min: -5, max: 400 }) }),
            fc.record({ kind: fc.constant("get" as const), key: fc.integer({ min: 0, max: 7 }) }),
            fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 150 }) }),
        );
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 6000 }), fc.array(op, { maxLength: 60 }), (maxAge, maxBytes, ops) => {
                const c = clock();
                const memo = new ResponseMemo(maxAge, maxBytes, c.now);
                const model = new Map<string, { value: string; until: number; stored: number }>();
                let order = 0;
                for (const o of ops) {
                    if (o.kind === "wait") {
                        c.advance(o.ms);
                    } else if (o.kind === "set") {
                        const key = `key${o.key}`;
                        const value = "v".repeat(o.size);
                        memo.set(key, value, c.now() + o.ttl);
                        model.delete(key);
                        const until = Math.min(c.now() + o.ttl, c.now() + maxAge);
                        if (until > c.now() && entryBytes(key, value) * MAX_ENTRY_SHARE <= maxBytes) {
                            model.set(key, { value, until, stored: (order += 1) });
                        }
                    } else {
                        const key = `key${o.key}`;
                        const got = memo.get(key);
                        const want = model.get(key);
                        if (got !== undefined) {
                            // Whatever it serves is the last value stored, within both limits.
                            assert.ok(want !== undefined && want.value === got && c.now() < want.until);
                        }
                    }
                    assert.ok(memo.bytes <= maxBytes && memo.bytes >= 0);
                }
            }),
        );
    });
});

describe("stored answers in Redis: `<expiry, epoch ms>:<result JSON>`", () => {
    it("round-trips any expiry and any JSON text", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).filter((n) => String(n).length <= 15), fc.json(), (expiresAt, json) => {
                assert.deepEqual(decodeStored(encodeStored(expiresAt, json)), { expiresAt, json });
            }),
        );
        assert.equal(encodeStored(1700000000000, '"0x1"'), '1700000000000:"0x1"');
    });

    it("anything else reads as a miss: a v1 value, no expiry, an expiry with nothing after it, null", () => {
        for (const text of ['"0x1"', ':"0x1"', "1700000000000:", "17a:1", "1234567890123456:1", null, undefined]) {
            assert.equal(decodeStored(text), undefined, String(text));
        }
        assert.deepEqual(decodeStored("0:1"), { expiresAt: 0, json: "1" });
    });
});

describe("response cache (memo in front of the shared Redis)", () => {
    class FakeShared {
        readonly store = new Map<string, string>();
        readonly asked: string[][] = [];
        readonly writes: [string, string, number][] = [];
        up = true;
        async getMany(keys: readonly string[]): Promise<(string | null)[] | undefined> {
            if (!this.up || keys.length === 0) {
                return undefined;
            }
            this.asked.push([...keys]);
            return keys.map((k) => this.store.get(k) ?? null);
        }
        set(key: string, value: string, ttl: number): void {
            this.writes.push([key, value, ttl]);
            this.store.set(key, value);
        }
    }

    function setup(maxAgeMs = 5000): { c: ReturnType<typeof clock>; shared: FakeShared; cache: ResponseCache } {
        const c = clock();
        const shared = new FakeShared();
        return { c, shared, cache: new ResponseCache(shared, new ResponseMemo(maxAgeMs, 1 << 20, c.now), c.now) };
    }

    it("stores the answer in Redis with its expiry and TTL; the first read comes from Redis, the next from memory", async () => {
        const { c, shared, cache } = setup();
        cache.set("k", '"0x1"', 3600);
        assert.deepEqual(shared.writes, [["k", `${c.now() + 3_600_000}:"0x1"`, 3600]]);
        assert.deepEqual(await cache.getMany(["k"]), ['"0x1"']);
        assert.deepEqual(shared.asked, [["k"]]);
        assert.deepEqual(await cache.getMany(["k"]), ['"0x1"']);
        assert.deepEqual(shared.asked, [["k"]], "no second Redis round trip");
    });

    it("an answer stored but never read back takes no memo space (one-off answers such as new addresses)", async () => {
        const c = clock();
        const memo = new ResponseMemo(5000, 1 << 20, c.now);
        const cache = new ResponseCache(new FakeShared(), memo, c.now);
        for (let i = 0; i < 100; i += 1) {
            cache.set(`balance-${i}`, '"0x0"', 60);
        }
        assert.deepEqual([memo.size, memo.bytes], [0, 0]);
    });

    it("asks Redis only for the keys the memo lacks, and keeps what Redis returns until its expiry", async () => {
        const { c, shared, cache } = setup();
        cache.set("a", "1", 60);
        assert.deepEqual(await cache.getMany(["a"]), ["1"]);
        shared.store.set("b", encodeStored(c.now() + 500, "2"));
        assert.deepEqual(await cache.getMany(["a", "b", "c"]), ["1", "2", null]);
        assert.deepEqual(shared.asked, [["a"], ["b", "c"]]);
        assert.deepEqual(await cache.getMany(["b"]), ["2"]);
        assert.equal(shared.asked.length, 2, "b now comes from memory");
        c.advance(500);
        shared.store.delete("b");
        assert.deepEqual(await cache.getMany(["b"]), [null], "at its expiry the memo lets go and Redis is asked");
        assert.equal(shared.asked.length, 3);
    });

    it("an expired or malformed Redis value is a miss, and is not kept", async () => {
        const { c, shared, cache } = setup();
        shared.store.set("old", encodeStored(c.now(), "1"));
        shared.store.set("v1", '"0x1"');
        assert.deepEqual(await cache.getMany(["old", "v1"]), [null, null]);
        assert.deepEqual(await cache.getMany(["old", "v1"]), [null, null]);
        assert.equal(shared.asked.length, 2);
    });

    it("Redis unavailable: answers wholly held in memory are still served; anything else is `undefined` (BYPASS)", async () => {
        const { shared, cache } = setup();
        cache.set("a", "1", 60);
        await cache.getMany(["a"]);
        shared.up = false;
        assert.deepEqual(await cache.getMany(["a"]), ["1"]);
        assert.equal(await cache.getMany(["a", "b"]), undefined);
        assert.equal(await cache.getMany([]), undefined, "no keys: nothing to say, as the shared cache");
    });

    it("RESPONSE_MEMO_MS bounds how long a value removed from Redis is still served", async () => {
        const { c, shared, cache } = setup(1000);
        cache.set("a", "1", 3600);
        assert.deepEqual(await cache.getMany(["a"]), ["1"]);
        shared.store.delete("a"); // an operator removed a bad answer by hand
        c.advance(999);
        assert.deepEqual(await cache.getMany(["a"]), ["1"]);
        c.advance(1);
        assert.deepEqual(await cache.getMany(["a"]), [null]);
    });

    it("with the memo off, every read goes to Redis", async () => {
        const { c, shared } = setup();
        const cache = new ResponseCache(shared, new ResponseMemo(0, 1 << 20, c.now), c.now);
        cache.set("a", "1", 60);
        assert.deepEqual(await cache.getMany(["a"]), ["1"]);
        assert.deepEqual(await cache.getMany(["a"]), ["1"]);
        assert.equal(shared.asked.length, 2);
    });
});
