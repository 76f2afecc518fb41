/** Pure modules: environment validation, JSON-RPC shapes, cache policy. No servers. */
import assert from "node:assert/strict";
import { parseCacheTtls, responseCacheKey } from "../lib/cache-policy";
import { formatProblems, readConfig, redactUrlPassword } from "../lib/env";
import { jsonDepthExceeds } from "../lib/json-depth";
import { DEFAULT_MAX_BATCH, MAX_JSON_DEPTH, parseBody } from "../lib/jsonrpc";
import { KeyedLimiter } from "../lib/upstream";

const VALID: Record<string, string> = {
    PORT: "3000",
    HOSTNAME: "0.0.0.0",
    PGHOST: "db.example.internal",
    PGPORT: "5432",
    PGDATABASE: "webfleet",
    PGUSER: "postgres",
    PGPASSWORD: "s3cret-pass",
    PGSSLMODE: "verify-full",
    DB_POOL_MAX: "48",
    REDIS_URL: "rediss://cache.example.internal:6379",
    REDIS_AUTH_TOKEN: "0123456789abcdef",
};

describe("environment contract", () => {
    it("accepts what the fleet program sets and applies the documented defaults", () => {
        const r = readConfig(VALID);
        assert.ok(r.ok, JSON.stringify(r));
        assert.equal(r.config.pg.poolMax, 48);
        assert.equal(r.config.pg.sslMode, "verify-full");
        assert.equal(r.config.redis.tls, true);
        assert.equal(r.config.shutdownTimeoutMs, 25000, "default must stay inside the 30 s container stop timeout");
        assert.equal(r.config.cacheTtls.get("eth_chainId"), 3600);
        assert.equal(r.config.cacheTtls.get("eth_blockNumber"), 1);
        assert.equal(r.config.apiRouter, "lean");
        assert.deepEqual(r.config.limits, { maxBatch: 1000, maxBodyBytes: 5 * 1024 * 1024 }, "geth's defaults");
        assert.equal(r.config.cors.kind, "off", "CORS is opt-in");
        assert.deepEqual(r.config.observability, {
            logLevel: "info",
            accessLogMaxPerS: 100,
            metricsFlushS: 60,
            service: "webfleet-gateway",
            ecsMetadataUri: undefined,
        });
    });

    it("reads the request limits and CORS origins", () => {
        const r = readConfig({ ...VALID, RPC_MAX_BATCH: "250", RPC_MAX_BODY_BYTES: "1048576", CORS_ORIGINS: "https://app.example.com" });
        assert.ok(r.ok, JSON.stringify(r));
        assert.deepEqual(r.config.limits, { maxBatch: 250, maxBodyBytes: 1048576 });
        assert.ok(r.config.cors.kind === "list" && r.config.cors.origins.has("https://app.example.com"));
    });

    const bad: [string, string | undefined, RegExp][] = [
        ["PORT", "abc", /integer from 1 to 65535/],
        ["PORT", "70000", /integer from 1 to 65535/],
        ["PORT", undefined, /\(unset\)/],
        ["HOSTNAME", "", /\(empty\)/],
        ["PGHOST", undefined, /PostgreSQL host/],
        ["PGPORT", "5432x", /integer/],
        ["PGDATABASE", "two words", /database name/],
        ["PGUSER", undefined, /role name/],
        ["PGPASSWORD", undefined, /non-empty password/],
        ["PGSSLMODE", "prefer", /one of disable, require, verify-ca, verify-full/],
        ["PGSSLMODE", undefined, /one of/],
        ["DB_POOL_MAX", "0", /integer from 1/],
        ["DB_POOL_MAX", "2.5", /integer from 1/],
        ["DB_POOL_MAX", "500abc", /integer from 1/],
        ["REDIS_URL", "http://cache:6379", /redis:\/\/ or rediss:\/\//],
        ["REDIS_URL", "not a url", /redis:\/\/ or rediss:\/\//],
        ["REDIS_AUTH_TOKEN", "has space", /printable/],
        ["CACHE_TTLS", "eth_chainId=forever", /method=seconds/],
        ["CACHE_TTLS", "eth_chainId=0", /method=seconds/],
        ["SHUTDOWN_TIMEOUT_MS", "-1", /integer from 100/],
        ["UPSTREAM_TIMEOUT_MS", "fast", /integer from 100/],
        ["API_ROUTER", "express", /one of lean, next/],
        ["RPC_MAX_BATCH", "0", /integer from 1 to 100000 \(default 1000/],
        ["RPC_MAX_BODY_BYTES", "5MiB", /integer from 1024 to 67108864 \(default 5242880/],
        ["CORS_ORIGINS", "https://app.example.com/path", /scheme:\/\/host\[:port\].*bad origin/],
        ["CACHE_TTLS", "eth_sendRawTransaction=5", /never cached/],
        ["LOG_LEVEL", "debug", /one of info, warn, error, silent/],
        ["ACCESS_LOG_MAX_PER_S", "-5", /integer from 0 to 100000/],
        ["ACCESS_LOG_MAX_PER_S", "lots", /integer from 0 to 100000/],
        ["METRICS_FLUSH_S", "3601", /integer from 0 to 3600/],
        ["METRICS_SERVICE", "has space", /letters, digits/],
        ["ECS_CONTAINER_METADATA_URI_V4", "169.254.170.2/v4/x", /http:\/\/ URL/],
    ];
    for (const [name, value, allowed] of bad) {
        it(`rejects ${name}=${JSON.stringify(value)} and names it`, () => {
            const env = { ...VALID, [name]: value };
            const r = readConfig(env);
            assert.equal(r.ok, false);
            if (!r.ok) {
                const message = formatProblems(r.problems);
                assert.match(message, new RegExp(`^  ${name}: got `, "m"));
                assert.match(message, allowed);
            }
        });
    }

    it("reports every bad variable at once and never echoes secrets", () => {
        const r = readConfig({ ...VALID, PORT: "x", DB_POOL_MAX: "-3", PGPASSWORD: "", REDIS_AUTH_TOKEN: "bad token with spaces" });
        assert.equal(r.ok, false);
        if (!r.ok) {
            assert.deepEqual(r.problems.map((p) => p.name).sort(), ["DB_POOL_MAX", "PGPASSWORD", "PORT", "REDIS_AUTH_TOKEN"]);
            assert.doesNotMatch(formatProblems(r.problems), /bad token with spaces/);
        }
    });
});

describe("cache policy", () => {
    it("parses method=seconds lists; empty disables caching", () => {
        const r = parseCacheTtls("eth_chainId=3600, eth_blockNumber=1");
        assert.ok(r.ok);
        assert.deepEqual([...r.ttls], [["eth_chainId", 3600], ["eth_blockNumber", 1]]);
        const none = parseCacheTtls("");
        assert.ok(none.ok && none.ttls.size === 0);
        assert.equal(parseCacheTtls("a=1,a=2").ok, false);
    });

    it("keys by endpoint, upstream, method and params", () => {
        const up = new URL("https://rpc.example/v1/key");
        const a = responseCacheKey("e1", up, "eth_getBalance", ["0xa", "latest"]);
        assert.notEqual(a, responseCacheKey("e2", up, "eth_getBalance", ["0xa", "latest"]));
        assert.notEqual(a, responseCacheKey("e1", up, "eth_getBalance", ["0xb", "latest"]));
        assert.notEqual(a, responseCacheKey("e1", new URL("https://other.example/v1/key"), "eth_getBalance", ["0xa", "latest"]), "a re-pointed endpoint gets new keys");
        assert.equal(a, responseCacheKey("e1", new URL("https://rpc.example/v1/key"), "eth_getBalance", ["0xa", "latest"]));
        assert.doesNotMatch(a, /rpc\.example|key/, "the upstream URL (it may hold an API key) is hashed, not spelled out");
    });
});

describe("start-up error hides URL passwords", () => {
    it("redacts the password of REDIS_URL (and any URL-valued variable), keeping its shape", () => {
        assert.equal(redactUrlPassword("redis://:s3cret@cache:6379"), "redis://:***@cache:6379");
        assert.equal(redactUrlPassword("postgres://app:pw@db:5432/app"), "postgres://app:***@db:5432/app");
        assert.equal(redactUrlPassword("redis://tokenonly@cache"), "redis://***@cache");
        assert.equal(redactUrlPassword("redis://cache:6379"), "redis://cache:6379");
        assert.equal(redactUrlPassword("not a url @ all"), "not a url @ all");
        const r = readConfig({ ...VALID, REDIS_URL: "redis://:s3cret-pw@", DATABASE_URL: "postgres://u:also-secret@db/x" });
        assert.ok(!r.ok);
        const text = formatProblems(r.problems);
        assert.match(text, /REDIS_URL: got "redis:\/\/:\*\*\*@"/);
        assert.doesNotMatch(text, /s3cret-pw/);
    });
});

describe("hardening settings", () => {
    it("defaults: upstream pool, per-endpoint share, response cap, client limits, query timeout", () => {
        const r = readConfig(VALID);
        assert.ok(r.ok);
        assert.deepEqual(r.config.upstream, { timeoutMs: 10000, connectionsPerOrigin: 256, endpointConcurrency: 128, maxResponseBytes: 8 * 1024 * 1024 });
        assert.deepEqual(r.config.clients, { headersTimeoutMs: 10000, requestTimeoutMs: 30000, maxConnections: 10000 });
        assert.equal(r.config.pg.queryTimeoutMs, 5000);
    });

    it("refuses a per-endpoint share that is not below the pool, and a headers timeout above the request timeout", () => {
        const r = readConfig({ ...VALID, UPSTREAM_CONNECTIONS: "64", UPSTREAM_ENDPOINT_CONCURRENCY: "64", CLIENT_HEADERS_TIMEOUT_MS: "5000", CLIENT_REQUEST_TIMEOUT_MS: "1000" });
        assert.ok(!r.ok);
        assert.deepEqual(r.problems.map((p) => p.name).sort(), ["CLIENT_HEADERS_TIMEOUT_MS", "UPSTREAM_ENDPOINT_CONCURRENCY"]);
        assert.match(formatProblems(r.problems), /UPSTREAM_ENDPOINT_CONCURRENCY: got "64"; expected an integer below UPSTREAM_CONNECTIONS \(64\)/);
    });
});

describe("JSON nesting depth", () => {
    it("counts arrays and objects, ignores brackets inside strings and escaped quotes", () => {
        assert.equal(jsonDepthExceeds("[[1]]", 2), false);
        assert.equal(jsonDepthExceeds("[[[1]]]", 2), true);
        assert.equal(jsonDepthExceeds('{"a":{"b":[]}}', 3), false);
        assert.equal(jsonDepthExceeds('{"a":{"b":[{}]}}', 3), true);
        assert.equal(jsonDepthExceeds('["[[[[[[", "\\"", "\\\\[[[["]', 1), false);
        assert.equal(jsonDepthExceeds("[]".repeat(1000), 1), false, "siblings are not depth");
    });

    it("matches the depth of the parsed value for random nestings", () => {
        for (let seed = 1; seed < 200; seed++) {
            let x = seed;
            const rand = (n: number): number => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
            const build = (d: number): unknown => (d === 0 ? "s[{" : rand(2) === 0 ? [build(d - 1), rand(3)] : { k: build(d - 1), "q\"[": 1 });
            const depth = 1 + rand(20);
            const text = JSON.stringify(build(depth));
            assert.equal(jsonDepthExceeds(text, depth), false, text);
            assert.equal(jsonDepthExceeds(text, depth - 1), true, text);
        }
    });

    it("a request nested deeper than the limit is an Invalid Request, before any stack-deep work", () => {
        const deep = `{"jsonrpc":"2.0","id":1,"method":"x","params":${"[".repeat(5000)}${"]".repeat(5000)}}`;
        const r = parseBody(deep);
        assert.equal(r.kind, "invalid");
        const ok = `{"jsonrpc":"2.0","id":1,"method":"x","params":${"[".repeat(MAX_JSON_DEPTH - 1)}${"]".repeat(MAX_JSON_DEPTH - 1)}}`;
        assert.equal(parseBody(ok).kind, "single");
    });
});

describe("per-endpoint concurrency limit", () => {
    it("admits up to the limit per key, queues the rest FIFO, hands slots over on release", async () => {
        const l = new KeyedLimiter(2);
        assert.equal(l.tryAcquire("a"), true);
        assert.equal(l.tryAcquire("a"), true);
        assert.equal(l.tryAcquire("a"), false);
        assert.equal(l.tryAcquire("b"), true, "another key is not affected");
        const order: string[] = [];
        const never = new AbortController().signal;
        const w1 = l.acquire("a", never).then((ok) => order.push(`w1:${ok}`));
        const w2 = l.acquire("a", never).then((ok) => order.push(`w2:${ok}`));
        l.release("a");
        await w1;
        assert.deepEqual(order, ["w1:true"]);
        assert.equal(l.active("a"), 2);
        l.release("a");
        await w2;
        assert.deepEqual(order, ["w1:true", "w2:true"]);
        l.release("a");
        l.release("a");
        assert.equal(l.active("a"), 0);
        l.release("b");
        assert.equal(l.active("b"), 0);
    });

    it("a waiter whose signal aborts leaves the queue and gets false", async () => {
        const l = new KeyedLimiter(1);
        assert.equal(l.tryAcquire("a"), true);
        const c = new AbortController();
        const waiting = l.acquire("a", c.signal);
        c.abort();
        assert.equal(await waiting, false);
        l.release("a");
        assert.equal(l.active("a"), 0, "the aborted waiter did not take the slot");
        assert.equal(l.tryAcquire("a"), true);
    });
});

describe("JSON-RPC parsing", () => {
    it("tells parse errors, invalid requests, singles and batches apart", () => {
        assert.equal(parseBody("{").kind, "parse-error");
        assert.equal(parseBody("[]").kind, "invalid");
        assert.equal(parseBody("42").kind, "invalid");
        assert.equal(parseBody('{"jsonrpc":"1.0","method":"x","id":1}').kind, "invalid");
        assert.equal(parseBody('{"jsonrpc":"2.0","method":"","id":1}').kind, "invalid");
        assert.equal(parseBody('{"jsonrpc":"2.0","method":"x","params":3,"id":1}').kind, "invalid");
        assert.equal(parseBody('{"jsonrpc":"2.0","method":"x","id":{}}').kind, "invalid");
        assert.equal(parseBody('{"jsonrpc":"2.0","method":"x","id":1}').kind, "single");
        const batch = parseBody('[{"jsonrpc":"2.0","method":"x","id":1}, 5, {"jsonrpc":"2.0","method":"n"}]');
        assert.equal(batch.kind, "batch");
        if (batch.kind === "batch") {
            assert.deepEqual(batch.items.map((i) => i.kind), ["call", "invalid", "call"]);
            const note = batch.items[2];
            assert.ok(note.kind === "call" && note.call.notification);
        }
        const big = JSON.stringify(Array.from({ length: DEFAULT_MAX_BATCH + 1 }, (_, i) => ({ jsonrpc: "2.0", method: "x", id: i })));
        assert.equal(parseBody(big).kind, "invalid");
    });
});
