/** Pure modules: environment validation, JSON-RPC shapes, cache policy. No servers. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { endpointCacheKey, parseCacheTtls, responseCacheKey } from "../lib/cache-policy";
import { ENV_NAMES, ENV_VARS, type EnvName, formatProblems, readConfig, redactUrlPassword } from "../lib/env";
import { ENV_TABLE_MARKERS, renderEnvTable } from "../lib/env-docs";
import fc from "fast-check";
import { jsonDepthExceeds } from "../lib/json-depth";
import { DEFAULT_MAX_BATCH, MAX_JSON_DEPTH, parseBody, rpcError, RpcCode, validateCall } from "../lib/jsonrpc";
import { closingQuote, rawIds } from "../lib/rpc-ids";
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

    // The scans skip strings with indexOf (closingQuote). Their oracle is the character loop they
    // replaced: inside a string a backslash skips the next character and a quote ends it.
    const loopClosingQuote = (text: string, open: number): number => {
        let i = open + 1;
        while (i < text.length && text.charCodeAt(i) !== 0x22) {
            i += text.charCodeAt(i) === 0x5c ? 2 : 1;
        }
        return Math.min(i, text.length);
    };
    const loopDepthExceeds = (text: string, max: number): boolean => {
        let depth = 0;
        let inString = false;
        for (let i = 0; i < text.length; i++) {
            const c = text.charCodeAt(i);
            if (inString) {
                if (c === 0x5c) i++;
                else if (c === 0x22) inString = false;
            } else if (c === 0x22) inString = true;
            else if (c === 0x5b || c === 0x7b) {
                if (++depth > max) return true;
            } else if (c === 0x5d || c === 0x7d) depth--;
        }
        return false;
    };
    // Texts made of the characters that matter (quotes, backslash runs, brackets) and filler,
    // valid JSON or not: unterminated strings and trailing backslashes included.
    const scanText = fc.array(fc.constantFrom('"', "\\", "\\\\", "[", "]", "{", "}", "a", "0x12ab", " "), { maxLength: 40 }).map((parts) => parts.join(""));

    it("finds the closing quote the character loop finds, for any text and any opening quote", () => {
        fc.assert(
            fc.property(scanText, (text) => {
                for (let i = 0; i < text.length; i++) {
                    if (text[i] === '"') {
                        assert.equal(closingQuote(text, i), loopClosingQuote(text, i), `${JSON.stringify(text)} at ${i}`);
                    }
                }
            }),
            { numRuns: 2000 },
        );
        assert.equal(closingQuote('"\\\\\\\\"', 0), 5, "four backslashes escape each other");
        assert.equal(closingQuote('"\\\\\\"', 0), 5, "the third backslash escapes the quote: no closing quote");
    });

    it("answers what the character loop answers, for any text and limit", () => {
        fc.assert(
            fc.property(scanText, fc.integer({ min: 0, max: 4 }), (text, max) => {
                assert.equal(jsonDepthExceeds(text, max), loopDepthExceeds(text, max), JSON.stringify(text));
            }),
            { numRuns: 3000 },
        );
    });

    it("skips a long string whole and still counts the brackets after it", () => {
        const data = `0x${"ab".repeat(500_000)}\\\\\\"[[[`;
        const text = `{"params":["${data}",[[[1]]]]}`;
        assert.equal(jsonDepthExceeds(text, 5), false);
        assert.equal(jsonDepthExceeds(text, 4), true);
        assert.deepEqual(rawIds(`{"params":["${data}"],"id":"x"}`), { kind: "single", id: '"x"' });
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

// ---- Edges found by mutation testing (issue 16; docs/MUTATION.md) ----

describe("JSON-RPC parsing at the edges", () => {
    const call = (id: number): object => ({ jsonrpc: "2.0", method: "eth_chainId", id });
    const batchOf = (n: number): string => JSON.stringify(Array.from({ length: n }, (_, i) => call(i)));

    // The default batch limit, written out (geth's BatchRequestLimit): if it changes, change this literal (and the README).
    const BATCH_LIMIT = 1000;

    it(`accepts a batch of exactly ${BATCH_LIMIT} calls and refuses ${BATCH_LIMIT + 1}`, () => {
        const full = parseBody(batchOf(BATCH_LIMIT));
        assert.equal(full.kind, "batch");
        assert.equal(full.kind === "batch" && full.items.filter((i) => i.kind === "call").length, BATCH_LIMIT);
        assert.deepEqual(parseBody(batchOf(BATCH_LIMIT + 1)), {
            kind: "invalid",
            rawId: "null",
            message: `Invalid Request: batch of ${BATCH_LIMIT + 1} calls exceeds ${BATCH_LIMIT}`,
        });
        assert.equal(parseBody(batchOf(1)).kind, "batch");
        // A configured limit (RPC_MAX_BATCH) moves the edge.
        assert.equal(parseBody(batchOf(500), 500).kind, "batch");
        assert.equal(parseBody(batchOf(501), 500).kind, "invalid");
    });

    it("answers null bodies, null items and null params as invalid requests", () => {
        assert.deepEqual(parseBody("null"), { kind: "invalid", rawId: "null", message: "Invalid Request: a call must be a JSON object" });
        assert.deepEqual(parseBody("[null]"), { kind: "batch", items: [{ kind: "invalid", rawId: "null", message: "Invalid Request: a call must be a JSON object" }] });
        assert.deepEqual(parseBody('[[{"jsonrpc":"2.0","method":"x","id":1}]]'), {
            kind: "batch",
            items: [{ kind: "invalid", rawId: "null", message: "Invalid Request: a call must be a JSON object" }],
        });
        assert.deepEqual(parseBody('{"jsonrpc":"2.0","method":"x","params":null,"id":3}'), {
            kind: "invalid",
            rawId: "3",
            message: "Invalid Request: params must be an array or an object when present",
        });
        assert.deepEqual(validateCall({ jsonrpc: "2.0", method: "x", params: "a", id: 3 }), {
            kind: "invalid",
            rawId: "3",
            message: "Invalid Request: params must be an array or an object when present",
        });
    });

    it("refuses a numeric or empty method and a wrong version, keeping the call's id", () => {
        assert.deepEqual(validateCall({ jsonrpc: "2.0", method: 5, id: 7 }), { kind: "invalid", rawId: "7", message: "Invalid Request: method must be a non-empty string" });
        assert.deepEqual(validateCall({ jsonrpc: "2.0", method: "", id: "a" }), { kind: "invalid", rawId: '"a"', message: "Invalid Request: method must be a non-empty string" });
        assert.deepEqual(validateCall({ method: "x", id: 7 }), { kind: "invalid", rawId: "7", message: 'Invalid Request: jsonrpc must be exactly "2.0"' });
        assert.deepEqual(validateCall({ jsonrpc: 2, method: "x", id: 7 }), { kind: "invalid", rawId: "7", message: 'Invalid Request: jsonrpc must be exactly "2.0"' });
        assert.deepEqual(parseBody('{"jsonrpc":"2.0","id":1}'), { kind: "invalid", rawId: "1", message: "Invalid Request: method must be a non-empty string" });
    });

    it("accepts string, number and null ids; refuses other ids with a null id", () => {
        for (const id of ["abc", "", 0, -1, 1.5, null]) {
            assert.deepEqual(validateCall({ jsonrpc: "2.0", method: "x", id }), {
                kind: "call",
                call: { method: "x", params: undefined, hasParams: false, id, rawId: JSON.stringify(id), notification: false },
            });
        }
        for (const id of [true, {}, [1]]) {
            assert.deepEqual(validateCall({ jsonrpc: "2.0", method: "x", id }), { kind: "invalid", rawId: "null", message: "Invalid Request: id must be a string, a number or null" });
        }
        assert.deepEqual(validateCall([]), { kind: "invalid", rawId: "null", message: "Invalid Request: a call must be a JSON object" });
    });

    it("keeps params as given, and tells notifications from calls", () => {
        assert.deepEqual(validateCall({ jsonrpc: "2.0", method: "eth_call", params: [{ to: "0x1" }, "latest"] }), {
            kind: "call",
            call: { method: "eth_call", params: [{ to: "0x1" }, "latest"], hasParams: true, id: null, rawId: "null", notification: true },
        });
        assert.deepEqual(validateCall({ jsonrpc: "2.0", method: "m", params: { a: 1 }, id: 2 }), {
            kind: "call",
            call: { method: "m", params: { a: 1 }, hasParams: true, id: 2, rawId: "2", notification: false },
        });
        assert.deepEqual(parseBody('{"jsonrpc":"2.0","method":"m","id":9}'), {
            kind: "single",
            item: { kind: "call", call: { method: "m", params: undefined, hasParams: false, id: 9, rawId: "9", notification: false } },
        });
    });

    it("says what failed to parse, and builds error responses", () => {
        assert.deepEqual(parseBody("{"), { kind: "parse-error", message: "Parse error: the body is not valid JSON" });
        assert.deepEqual(parseBody("[]"), { kind: "invalid", rawId: "null", message: "Invalid Request: empty batch" });
        assert.deepEqual(rpcError(4, RpcCode.InvalidRequest, "bad"), { jsonrpc: "2.0", id: 4, error: { code: -32600, message: "bad" } });
        assert.deepEqual(rpcError(4, RpcCode.InvalidRequest, "bad", "req-1"), { jsonrpc: "2.0", id: 4, error: { code: -32600, message: "bad", data: { requestId: "req-1" } } });
        assert.deepEqual(
            [RpcCode.ParseError, RpcCode.InvalidRequest, RpcCode.InternalError, RpcCode.EndpointNotFound, RpcCode.UpstreamUnavailable, RpcCode.UpstreamTimeout, RpcCode.ServiceUnavailable],
            [-32700, -32600, -32603, -32001, -32002, -32003, -32004],
        );
    });
});

describe("cache policy at the edges", () => {
    const ttls = (raw: string): [string, number][] => {
        const r = parseCacheTtls(raw);
        assert.ok(r.ok, r.ok ? "" : r.error);
        return [...r.ttls];
    };
    const error = (raw: string): string => {
        const r = parseCacheTtls(raw);
        assert.ok(!r.ok, `accepted ${raw}`);
        return r.error;
    };

    it("accepts TTLs from 1 s to the 86,400 s (one day) ceiling", () => {
        assert.deepEqual(ttls("a=1,b=86400"), [["a", 1], ["b", 86400]]);
        assert.equal(error("a=86401"), 'bad seconds in "a=86401"');
        assert.equal(error("a=0"), 'bad seconds in "a=0"');
        assert.equal(error("a=99999999999999999999"), 'bad seconds in "a=99999999999999999999"');
    });

    it("refuses malformed entries and names them", () => {
        assert.equal(error("eth_chainId"), 'bad entry "eth_chainId"');
        assert.equal(error("eth_chainId=1=2"), 'bad entry "eth_chainId=1=2"');
        assert.equal(error("=5"), 'bad entry "=5"');
        assert.equal(error("eth-chainId=5"), 'bad entry "eth-chainId=5"');
        assert.equal(error("a=1,"), 'bad entry ""');
        assert.equal(error("a=-1"), 'bad seconds in "a=-1"');
        assert.equal(error("a=1.5"), 'bad seconds in "a=1.5"');
        assert.equal(error("a= 5"), 'bad seconds in "a= 5"');
        assert.equal(error("a=5s"), 'bad seconds in "a=5s"');
        assert.equal(error("a=1, a=2"), "a listed twice");
        assert.equal(error(`${"m".repeat(101)}=1`), `bad entry "${"m".repeat(101)}=1"`);
        assert.deepEqual(ttls(`${"m".repeat(100)}=1`), [["m".repeat(100), 1]]);
        assert.deepEqual(ttls(" a=1 , B_2=3 "), [["a", 1], ["B_2", 3]]);
        assert.deepEqual(ttls("   "), []);
    });

    it("keys are wf:rpc:v2:<endpoint>:<method>:<32 chars of SHA-256(upstream URL, NUL, params), base64url>", () => {
        const up = new URL("http://node.example:8545/rpc");
        const digest = (params: string): string => createHash("sha256").update(up.href).update("\0").update(params).digest("base64url").slice(0, 32);
        assert.equal(responseCacheKey("e1", up, "eth_getBalance", ["0xa", "latest"]), `wf:rpc:v2:e1:eth_getBalance:${digest('["0xa","latest"]')}`);
        // Absent params hash like null: both are "no params".
        assert.equal(responseCacheKey("e1", up, "eth_chainId", undefined), `wf:rpc:v2:e1:eth_chainId:${digest("null")}`);
        assert.equal(responseCacheKey("e1", up, "eth_chainId", null), responseCacheKey("e1", up, "eth_chainId", undefined));
        // The upstream is part of the key: a re-pointed endpoint never gets the old chain's answers.
        assert.notEqual(responseCacheKey("e1", new URL("http://other.example/rpc"), "eth_chainId", null), responseCacheKey("e1", up, "eth_chainId", null));
        assert.equal(endpointCacheKey("e1"), "wf:endpoint:v1:e1");
    });
});

describe("environment contract at the edges", () => {
    const read = (overrides: Record<string, string | undefined>) => readConfig({ ...VALID, ...overrides });
    const problemFor = (name: string, overrides: Record<string, string | undefined>): string => {
        const r = read(overrides);
        assert.ok(!r.ok, `accepted ${JSON.stringify(overrides)}`);
        return r.ok ? "" : formatProblems(r.problems.filter((p) => p.name === name));
    };

    it("reads every variable back as given", () => {
        const r = read({
            INSTANCE_ID: "task-1",
            APP_VERSION: "1.2.3+abc",
            DB_CONNECT_TIMEOUT_MS: "700",
            REDIS_COMMAND_TIMEOUT_MS: "90",
            UPSTREAM_TIMEOUT_MS: "800",
            READY_TIMEOUT_MS: "60",
            SHUTDOWN_TIMEOUT_MS: "900",
            ENDPOINT_CACHE_TTL_S: "0",
            ENDPOINT_MEMO_MS: "0",
            API_ROUTER: "next",
            CACHE_TTLS: "",
        });
        assert.ok(r.ok);
        const c = r.config;
        const { host, port, database, user, password, sslMode, poolMax, connectTimeoutMs } = c.pg;
        assert.deepEqual(
            {
                port: c.port,
                hostname: c.hostname,
                pg: { host, port, database, user, password, sslMode, poolMax, connectTimeoutMs },
                redis: c.redis,
                instanceId: c.instanceId,
                appVersion: c.appVersion,
                cacheTtls: [...c.cacheTtls],
                upstreamTimeoutMs: c.upstream.timeoutMs,
                readyTimeoutMs: c.readyTimeoutMs,
                shutdownTimeoutMs: c.shutdownTimeoutMs,
                endpointCacheTtlS: c.endpointCacheTtlS,
                endpointMemoMs: c.endpointMemoMs,
                apiRouter: c.apiRouter,
            },
            {
                port: 3000,
                hostname: "0.0.0.0",
                pg: { host: "db.example.internal", port: 5432, database: "webfleet", user: "postgres", password: "s3cret-pass", sslMode: "verify-full", poolMax: 48, connectTimeoutMs: 700 },
                redis: { url: "rediss://cache.example.internal:6379", tls: true, authToken: "0123456789abcdef", commandTimeoutMs: 90 },
                instanceId: "task-1",
                appVersion: "1.2.3+abc",
                cacheTtls: [],
                upstreamTimeoutMs: 800,
                readyTimeoutMs: 60,
                shutdownTimeoutMs: 900,
                endpointCacheTtlS: 0,
                endpointMemoMs: 0,
                apiRouter: "next",
            },
        );
    });

    it("applies the documented defaults when optional variables are unset or empty", () => {
        const r = read({ REDIS_URL: "redis://cache:6379", REDIS_AUTH_TOKEN: "", ENDPOINT_MEMO_MS: "" });
        assert.ok(r.ok);
        const c = r.config;
        assert.equal(c.redis.tls, false);
        assert.equal(c.redis.authToken, undefined);
        assert.equal(c.redis.commandTimeoutMs, 250);
        assert.equal(c.pg.connectTimeoutMs, 5000);
        assert.equal(c.upstream.timeoutMs, 10000);
        assert.equal(c.readyTimeoutMs, 1000);
        assert.equal(c.endpointCacheTtlS, 300);
        assert.equal(c.endpointMemoMs, 5000);
        assert.equal(c.instanceId, `${os.hostname()}-${process.pid}`);
        assert.equal(c.appVersion, undefined);
        assert.deepEqual([...c.cacheTtls], [["eth_chainId", 3600], ["net_version", 3600], ["eth_blockNumber", 1]]);
    });

    // name, min, max, default when unset (undefined: required)
    const ranges: [string, number, number, number | undefined][] = [
        ["PORT", 1, 65535, undefined],
        ["PGPORT", 1, 65535, undefined],
        ["DB_POOL_MAX", 1, 10000, undefined],
        ["DB_CONNECT_TIMEOUT_MS", 100, 60000, 5000],
        ["REDIS_COMMAND_TIMEOUT_MS", 10, 10000, 250],
        ["UPSTREAM_TIMEOUT_MS", 100, 120000, 10000],
        ["READY_TIMEOUT_MS", 50, 30000, 1000],
        ["SHUTDOWN_TIMEOUT_MS", 100, 120000, 25000],
        ["ENDPOINT_CACHE_TTL_S", 0, 86400, 300],
        ["ENDPOINT_MEMO_MS", 0, 600000, 5000],
    ];
    for (const [name, min, max, def] of ranges) {
        it(`${name}: accepts ${min} and ${max}, refuses ${min - 1} and ${max + 1}`, () => {
            for (const ok of [min, max]) {
                assert.ok(read({ [name]: String(ok) }).ok, `${name}=${ok}`);
            }
            const allowed = `an integer from ${min} to ${max}${def === undefined ? "" : ` (default ${def} when unset)`}`;
            for (const bad of [String(min - 1), String(max + 1), "1e3"]) {
                assert.equal(problemFor(name, { [name]: bad }).split("\n")[1], `  ${name}: got ${JSON.stringify(bad)}; expected ${allowed}`);
            }
        });
    }

    it("checks the length and characters of names, ids and tokens", () => {
        assert.ok(read({ HOSTNAME: "h".repeat(253), PGDATABASE: "d".repeat(63), PGUSER: "u".repeat(63), REDIS_AUTH_TOKEN: "!~".repeat(64), INSTANCE_ID: "i".repeat(64) }).ok);
        assert.match(problemFor("HOSTNAME", { HOSTNAME: "h".repeat(254) }), /HOSTNAME: got "h+"; expected a host name or IP address to listen on/);
        assert.match(problemFor("HOSTNAME", { HOSTNAME: "a b" }), /HOSTNAME: got "a b"/);
        assert.match(problemFor("PGDATABASE", { PGDATABASE: "d".repeat(64) }), /PGDATABASE: got "d+"; expected a database name \(1–63 characters, no spaces\)/);
        assert.match(problemFor("PGUSER", { PGUSER: "a b" }), /PGUSER: got "a b"; expected a role name/);
        assert.match(problemFor("REDIS_AUTH_TOKEN", { REDIS_AUTH_TOKEN: "t".repeat(129) }), /REDIS_AUTH_TOKEN: got \(129 characters, hidden\); expected 1–128 printable characters without spaces/);
        assert.match(problemFor("REDIS_AUTH_TOKEN", { REDIS_AUTH_TOKEN: "tok\x7f" }), /got \(4 characters, hidden\)/);
        assert.match(problemFor("INSTANCE_ID", { INSTANCE_ID: "i".repeat(65) }), /INSTANCE_ID: got "i+"; expected letters, digits, \. _ \+ - \(1–64\)/);
        assert.match(problemFor("APP_VERSION", { APP_VERSION: "1 2" }), /APP_VERSION: got "1 2"; expected letters, digits/);
        assert.match(problemFor("PGPASSWORD", { PGPASSWORD: "" }), /PGPASSWORD: got \(empty\); expected a non-empty password/);
    });

    it("takes only redis:// and rediss:// URLs with a host", () => {
        for (const url of ["rediss://", "redis:///0", "http://cache:6379", "cache:6379", ""]) {
            assert.match(problemFor("REDIS_URL", { REDIS_URL: url }), /REDIS_URL: got .*; expected a redis:\/\/ or rediss:\/\/ URL with a host, e\.g\. rediss:\/\/my-cache\.example:6379/, url);
        }
        assert.match(problemFor("REDIS_URL", { REDIS_URL: undefined }), /REDIS_URL: got \(unset\)/);
    });

    it("an empty optional variable means unset; several problems get one line each", () => {
        const r = read({ INSTANCE_ID: "", APP_VERSION: "" });
        assert.ok(r.ok && r.config.instanceId === `${os.hostname()}-${process.pid}` && r.config.appVersion === undefined);
        const bad = read({ PORT: "0", PGPORT: "x" });
        assert.equal(
            formatProblems(bad.ok ? [] : bad.problems),
            'webfleet gateway: cannot start, 2 environment variable(s) invalid:\n  PORT: got "0"; expected an integer from 1 to 65535\n  PGPORT: got "x"; expected an integer from 1 to 65535',
        );
    });

    it("names one-of choices and the count of problems", () => {
        const r = read({ PGSSLMODE: "prefer", API_ROUTER: "" });
        assert.ok(!r.ok);
        assert.equal(
            formatProblems(r.ok ? [] : r.problems),
            'webfleet gateway: cannot start, 1 environment variable(s) invalid:\n  PGSSLMODE: got "prefer"; expected one of disable, require, verify-ca, verify-full',
        );
        for (const mode of ["disable", "require", "verify-ca"]) {
            const ok = read({ PGSSLMODE: mode });
            assert.ok(ok.ok && ok.config.pg.sslMode === mode);
        }
        assert.match(problemFor("CACHE_TTLS", { CACHE_TTLS: "x" }), /CACHE_TTLS: got "x"; expected comma-separated method=seconds pairs \(method: letters, digits, _; seconds: 1–86400\), e\.g\. "eth_chainId=3600,net_version=3600,eth_blockNumber=1"; empty disables caching \(bad entry "x"\)/);
    });
});

describe("environment table (lib/env.ts ENV_VARS) and what is derived from it", () => {
    const read = (overrides: Record<string, string | undefined>) => readConfig({ ...VALID, ...overrides });
    const names = (overrides: Record<string, string | undefined>): string[] => {
        const r = read(overrides);
        return r.ok ? [] : r.problems.map((p) => p.name);
    };

    it("app/README.md's environment table is the one rendered from the table (run `npm run config:docs` in the repository root)", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        const start = readme.indexOf(ENV_TABLE_MARKERS[0]);
        const end = readme.indexOf(ENV_TABLE_MARKERS[1]);
        assert.ok(start >= 0 && end > start, "app/README.md lost the generated table's marker lines");
        assert.equal(readme.slice(start, end + ENV_TABLE_MARKERS[1].length), renderEnvTable());
    });

    it("renders one row per variable, required ones marked, and the rules", () => {
        const rows = renderEnvTable().split("\n");
        assert.equal(rows.filter((r) => r.startsWith("| `")).length, ENV_NAMES.length);
        assert.ok(rows.includes("| `PORT` | **required** | an integer from 1 to 65535 | TCP port the server listens on (the program sets the container port, 3000). |"));
        assert.ok(rows.some((r) => r.startsWith("| `UPSTREAM_CONNECTIONS` | 256 | an integer from 2 to 10000 (default 256 when unset) |")));
        assert.ok(rows.some((r) => r.startsWith("- `UPSTREAM_ENDPOINT_CONCURRENCY` below `UPSTREAM_CONNECTIONS`")));
        assert.ok(rows.some((r) => r.startsWith("- `CLIENT_HEADERS_TIMEOUT_MS` at most `CLIENT_REQUEST_TIMEOUT_MS`")));
    });

    it("a variable documented as required stops the app when unset; any other starts it with its documented default", () => {
        for (const name of ENV_NAMES) {
            const required = ENV_VARS[name].default === undefined;
            assert.deepEqual(names({ [name]: undefined }), required ? [name] : [], name);
        }
        const required = ENV_NAMES.filter((name) => ENV_VARS[name].default === undefined);
        assert.deepEqual([...required].sort(), Object.keys(VALID).filter((name) => name !== "REDIS_AUTH_TOKEN").sort());
    });

    it("only the passwords are secret", () => {
        assert.deepEqual(ENV_NAMES.filter((name) => "secret" in ENV_VARS[name]), ["PGPASSWORD", "REDIS_AUTH_TOKEN"]);
    });

    it("NODE_ENV is declared but never refused: the server forces production itself", () => {
        for (const value of ["production", "development", "", "anything at all"]) {
            assert.ok(read({ NODE_ENV: value }).ok, value);
        }
    });

    // Bounds of the integer variables that the edges table above does not cover:
    // name, min, max, default when unset.
    const more: [EnvName, number, number, number][] = [
        ["DB_PEAK_TASKS", 0, 100000, 0],
        ["DB_RESERVED_CONNECTIONS", 0, 262143, 3],
        ["DB_QUERY_TIMEOUT_MS", 100, 600000, 5000],
        ["UPSTREAM_CONNECTIONS", 2, 10000, 256],
        ["UPSTREAM_ENDPOINT_CONCURRENCY", 1, 10000, 128],
        ["UPSTREAM_MAX_RESPONSE_BYTES", 1024, 268435456, 8388608],
        ["CLIENT_HEADERS_TIMEOUT_MS", 500, 120000, 10000],
        ["CLIENT_REQUEST_TIMEOUT_MS", 500, 600000, 30000],
        ["MAX_CLIENT_CONNECTIONS", 1, 1000000, 10000],
        ["RPC_MAX_BATCH", 1, 100000, 1000],
        ["RPC_MAX_BODY_BYTES", 1024, 67108864, 5242880],
        ["ACCESS_LOG_MAX_PER_S", 0, 100000, 100],
        ["METRICS_FLUSH_S", 0, 3600, 60],
        ["RESPONSE_MEMO_MS", 0, 600000, 5000],
        ["RESPONSE_MEMO_MAX_BYTES", 0, 1073741824, 33554432],
    ];
    // The partner of a rule is set so that only the bound under test is reported.
    const partners: Partial<Record<EnvName, Record<string, string>>> = {
        UPSTREAM_CONNECTIONS: { UPSTREAM_ENDPOINT_CONCURRENCY: "1" },
        UPSTREAM_ENDPOINT_CONCURRENCY: { UPSTREAM_CONNECTIONS: "10000" },
        CLIENT_HEADERS_TIMEOUT_MS: { CLIENT_REQUEST_TIMEOUT_MS: "600000" },
        CLIENT_REQUEST_TIMEOUT_MS: { CLIENT_HEADERS_TIMEOUT_MS: "500" },
    };
    for (const [name, min, max, def] of more) {
        it(`${name}: accepts ${min} and ${max}, refuses ${min - 1} and ${max + 1}, defaults to ${def}`, () => {
            for (const value of [min, max]) {
                assert.deepEqual(ENV_VARS[name].parse(String(value)), { ok: true, value }, `${name}=${value}`);
            }
            assert.deepEqual(ENV_VARS[name].parse(undefined), { ok: true, value: def });
            for (const value of [min - 1, max + 1]) {
                const r = read({ ...partners[name], [name]: String(value) });
                assert.ok(!r.ok);
                assert.deepEqual(r.problems, [{ name, given: JSON.stringify(String(value)), allowed: `an integer from ${min} to ${max} (default ${def} when unset)` }]);
            }
        });
    }

    it("each variable reaches its own setting", () => {
        const r = read({
            DB_PEAK_TASKS: "7",
            DB_RESERVED_CONNECTIONS: "9",
            DB_QUERY_TIMEOUT_MS: "1234",
            UPSTREAM_CONNECTIONS: "300",
            UPSTREAM_ENDPOINT_CONCURRENCY: "200",
            UPSTREAM_MAX_RESPONSE_BYTES: "2048",
            CLIENT_HEADERS_TIMEOUT_MS: "600",
            CLIENT_REQUEST_TIMEOUT_MS: "700",
            MAX_CLIENT_CONNECTIONS: "5",
            LOG_LEVEL: "warn",
            ACCESS_LOG_MAX_PER_S: "3",
            METRICS_FLUSH_S: "4",
            METRICS_SERVICE: "webfleet-prod",
            ECS_CONTAINER_METADATA_URI_V4: "http://169.254.170.2/v4/abc",
            CORS_ORIGINS: "*",
            RESPONSE_MEMO_MS: "250",
            RESPONSE_MEMO_MAX_BYTES: "4096",
        });
        assert.ok(r.ok, JSON.stringify(r));
        const c = r.config;
        assert.deepEqual(
            {
                peakTasks: c.pg.peakTasks,
                reserved: c.pg.reservedConnections,
                queryTimeoutMs: c.pg.queryTimeoutMs,
                upstream: c.upstream,
                clients: c.clients,
                observability: c.observability,
                cors: c.cors,
                responseMemo: c.responseMemo,
            },
            {
                responseMemo: { maxAgeMs: 250, maxBytes: 4096 },
                peakTasks: 7,
                reserved: 9,
                queryTimeoutMs: 1234,
                upstream: { timeoutMs: 10000, connectionsPerOrigin: 300, endpointConcurrency: 200, maxResponseBytes: 2048 },
                clients: { headersTimeoutMs: 600, requestTimeoutMs: 700, maxConnections: 5 },
                observability: { logLevel: "warn", accessLogMaxPerS: 3, metricsFlushS: 4, service: "webfleet-prod", ecsMetadataUri: "http://169.254.170.2/v4/abc" },
                cors: { kind: "any" },
            },
        );
    });

    it("the rules hold at their edges: concurrency one below the pool, headers timeout equal to the request timeout", () => {
        assert.deepEqual(names({ UPSTREAM_CONNECTIONS: "64", UPSTREAM_ENDPOINT_CONCURRENCY: "63", CLIENT_HEADERS_TIMEOUT_MS: "1000", CLIENT_REQUEST_TIMEOUT_MS: "1000" }), []);
        const r = read({ UPSTREAM_CONNECTIONS: "64", UPSTREAM_ENDPOINT_CONCURRENCY: "65", CLIENT_HEADERS_TIMEOUT_MS: "1001", CLIENT_REQUEST_TIMEOUT_MS: "1000" });
        assert.ok(!r.ok);
        assert.deepEqual(r.problems, [
            { name: "UPSTREAM_ENDPOINT_CONCURRENCY", given: '"65"', allowed: "an integer below UPSTREAM_CONNECTIONS (64)" },
            { name: "CLIENT_HEADERS_TIMEOUT_MS", given: '"1001"', allowed: "an integer no larger than CLIENT_REQUEST_TIMEOUT_MS (1000)" },
        ]);
    });

    // Regression: a rule used to compare against the default of a variable that was set but
    // invalid, and reported a second problem about a value the operator never chose.
    it("a rule is not checked against an invalid variable: only that variable is reported", () => {
        assert.deepEqual(names({ UPSTREAM_CONNECTIONS: "lots", UPSTREAM_ENDPOINT_CONCURRENCY: "300" }), ["UPSTREAM_CONNECTIONS"]);
        assert.deepEqual(names({ CLIENT_REQUEST_TIMEOUT_MS: "soon", CLIENT_HEADERS_TIMEOUT_MS: "40000" }), ["CLIENT_REQUEST_TIMEOUT_MS"]);
    });

    it("problems come in table order, rules last", () => {
        assert.deepEqual(names({ METRICS_FLUSH_S: "x", UPSTREAM_ENDPOINT_CONCURRENCY: "300", PORT: "x", PGPORT: "x" }), ["PORT", "PGPORT", "METRICS_FLUSH_S", "UPSTREAM_ENDPOINT_CONCURRENCY"]);
    });
});
