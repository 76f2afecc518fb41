/** Pure modules: environment validation, JSON-RPC shapes, cache policy. No servers. */
import assert from "node:assert/strict";
import { parseCacheTtls, responseCacheKey } from "../lib/cache-policy";
import { formatProblems, readConfig } from "../lib/env";
import { MAX_BATCH, parseBody } from "../lib/jsonrpc";

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
        assert.deepEqual(r.config.observability, {
            logLevel: "info",
            accessLogMaxPerS: 100,
            metricsFlushS: 60,
            service: "webfleet-gateway",
            ecsMetadataUri: undefined,
        });
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

    it("keys by endpoint, method and params", () => {
        const a = responseCacheKey("e1", "eth_getBalance", ["0xa", "latest"]);
        assert.notEqual(a, responseCacheKey("e2", "eth_getBalance", ["0xa", "latest"]));
        assert.notEqual(a, responseCacheKey("e1", "eth_getBalance", ["0xb", "latest"]));
        assert.equal(a, responseCacheKey("e1", "eth_getBalance", ["0xa", "latest"]));
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
        const big = JSON.stringify(Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ jsonrpc: "2.0", method: "x", id: i })));
        assert.equal(parseBody(big).kind, "invalid");
    });
});
