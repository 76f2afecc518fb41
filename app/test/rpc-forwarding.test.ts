/** Pure forwarding logic: raw ids, matching upstream answers, CORS, gzip negotiation. No servers. */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { jsonResponse } from "../lib/api";
import { acceptsGzip, GZIP_MIN_BYTES, maybeGzip } from "../lib/compress";
import { corsHeaders, parseCorsOrigins, preflightHeaders } from "../lib/cors";
import { parseBody } from "../lib/jsonrpc";
import { forwardedIndex, rawIds, responseText, upstreamId } from "../lib/rpc-ids";
import { matchUpstreamAnswers } from "../lib/upstream-answers";

/** Id texts as clients write them, incl. ones JSON.parse cannot round-trip. */
const idText = fc.oneof(
    fc.constantFrom("12345678901234567890", "1e3", "-0", "1.50", "0", "null", '"\\u0041b"', '"a\\"b"', '"x,}]"'),
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
    fc.string().map((s) => JSON.stringify(s)),
    fc.integer().map(String),
);
const filler = fc.jsonValue().map((v) => JSON.stringify(v));
const ws = fc.constantFrom("", " ", "\n  ", "\t");

/** `{ ...members, "id": <text>, ...members }` with arbitrary spacing; id omitted when undefined. */
function callText(id: string | undefined, before: string[], after: string[], space: string): string {
    const members = [...before.map((v, i) => `"b${i}":${v}`), ...(id === undefined ? [] : [`"id"${space}:${space}${id}`]), ...after.map((v, i) => `"a${i}":${v}`)];
    return `{${space}${members.join(`${space},${space}`)}${space}}`;
}

describe("rpc-ids: the client's id text, exactly", () => {
    it("finds the raw id of a single call, whatever surrounds it", () => {
        fc.assert(
            fc.property(fc.option(idText, { nil: undefined }), fc.array(filler, { maxLength: 3 }), fc.array(filler, { maxLength: 3 }), ws, (id, before, after, space) => {
                const text = callText(id, before, after, space);
                JSON.parse(text); // the scanner's precondition: valid JSON
                assert.deepEqual(rawIds(text), { kind: "single", id });
            }),
        );
    });

    it("finds the raw id of every call of a batch, and undefined for non-objects", () => {
        const element = fc.oneof(
            fc.tuple(fc.option(idText, { nil: undefined }), fc.array(filler, { maxLength: 2 }), ws).map(([id, f, s]) => ({ id, text: callText(id, f, [], s) })),
            filler.map((text) => ({ id: undefined, text: text.startsWith("{") ? "[]" : text })),
        );
        fc.assert(
            fc.property(fc.array(element, { minLength: 1, maxLength: 6 }), ws, (elements, space) => {
                const text = `${space}[${space}${elements.map((e) => e.text).join(`,${space}`)}${space}]${space}`;
                JSON.parse(text);
                assert.deepEqual(rawIds(text), { kind: "batch", ids: elements.map((e) => e.id) });
            }),
        );
    });

    it("takes the last of repeated id keys (as JSON.parse does) and only top-level ones", () => {
        assert.deepEqual(rawIds('{"id":1,"params":[{"id":9}],"\\u0069d":2}'), { kind: "single", id: "2" });
        assert.deepEqual(rawIds('{"params":{"id":9}}'), { kind: "single", id: undefined });
        // Keys as long as `"id"`, or escaped, that are some other key.
        assert.deepEqual(rawIds('{"ix":1,"\\u0069x":2,"i\\"":3,"\\"d":4,"Id":5}'), { kind: "single", id: undefined });
    });

    it("a key is the id key exactly when JSON.parse reads it as \"id\", however it is spelled", () => {
        const spelled = fc.oneof(
            fc.string({ maxLength: 4 }),
            fc.constantFrom("id", "Id", "i", "d", "idd", "i\u0000d", "\"id\""),
        ).map((key) => [key, JSON.stringify(key)] as const);
        const escapedId = fc.constantFrom('"\\u0069d"', '"i\\u0064"', '"\\u0069\\u0064"');
        fc.assert(
            fc.property(fc.oneof(spelled.map(([, text]) => text), escapedId), idText, (keyText, id) => {
                const text = `{"jsonrpc":"2.0",${keyText}:${id}}`;
                JSON.parse(text);
                assert.deepEqual(rawIds(text), { kind: "single", id: JSON.parse(keyText) === "id" ? id : undefined });
            }),
        );
    });

    it("compares a key without an escape as text: only a key with a backslash is handed to JSON.parse", () => {
        const parse = JSON.parse;
        const parsed: string[] = [];
        JSON.parse = (text: string, reviver?: Parameters<typeof JSON.parse>[1]): unknown => {
            parsed.push(text);
            return parse(text, reviver);
        };
        try {
            assert.deepEqual(rawIds('{"jsonrpc":"2.0","method":"eth_call","params":[{"to":"0x1"},"latest"],"id":7}'), { kind: "single", id: "7" });
            assert.deepEqual(rawIds('[{"jsonrpc":"2.0","id":1},{"method":"a\\"b","ix":[]}]'), { kind: "batch", ids: ["1", undefined] });
            assert.deepEqual(parsed, []);
            assert.deepEqual(rawIds('{"jsonrpc":"2.0","\\u0069d":3}'), { kind: "single", id: "3" });
            assert.deepEqual(parsed, ['"\\u0069d"']);
        } finally {
            JSON.parse = parse;
        }
    });

    it("a body that is no object has no id; a batch's non-objects have none either", () => {
        for (const text of ["5", "null", ' "id" ', "true", "\r\n-1.5e3"]) {
            assert.deepEqual(rawIds(text), { kind: "single", id: undefined }, text);
        }
        assert.deepEqual(rawIds("[]"), { kind: "batch", ids: [] });
        assert.deepEqual(rawIds('\r\n[\r\n1,"id",null,[{"id":1}],{"id":7},true\r\n]'), { kind: "batch", ids: [undefined, undefined, undefined, undefined, "7", undefined] });
    });

    it("nested values of every kind around the id are skipped whole, strings with brackets and escapes included", () => {
        const text = '{"a":[1,{"b":"]}\\"\\\\"},[]],"c":{"d":["{",{}]},"id":"x\\"y","e":-0.5e-3,"f":false}';
        JSON.parse(text);
        assert.deepEqual(rawIds(text), { kind: "single", id: '"x\\"y"' });
    });

    it("upstream ids are 1…n, never 0, and only ours map back", () => {
        assert.equal(upstreamId(0), 1);
        assert.equal(forwardedIndex(1, 3), 0);
        assert.equal(forwardedIndex(3, 3), 2);
        for (const foreign of [0, 4, null, "1", 1.5, -1, undefined]) {
            assert.equal(forwardedIndex(foreign, 3), undefined, String(foreign));
        }
    });

    it("writes the id back verbatim", () => {
        assert.equal(responseText("12345678901234567890", "result", '"0x1"'), '{"jsonrpc":"2.0","id":12345678901234567890,"result":"0x1"}');
    });
});

describe("JSON-RPC parsing keeps raw ids", () => {
    it("a big numeric id survives; a single invalid call keeps its readable id", () => {
        const single = parseBody('{"jsonrpc":"2.0","id":12345678901234567890,"method":"eth_chainId"}');
        assert.ok(single.kind === "single" && single.item.kind === "call");
        assert.equal(single.item.call.rawId, "12345678901234567890");
        const invalid = parseBody('{"jsonrpc":"2.0","id":"abc","method":""}');
        assert.ok(invalid.kind === "invalid");
        assert.equal(invalid.rawId, '"abc"');
        const unreadable = parseBody('{"jsonrpc":"2.0","id":{},"method":"x"}');
        assert.ok(unreadable.kind === "invalid");
        assert.equal(unreadable.rawId, "null");
    });

    it("admits geth's default batch of 1000 and refuses 1001 (configurable)", () => {
        const batch = (n: number): string => JSON.stringify(Array.from({ length: n }, (_, i) => ({ jsonrpc: "2.0", method: "x", id: i })));
        assert.equal(parseBody(batch(1000)).kind, "batch");
        assert.equal(parseBody(batch(1001)).kind, "invalid");
        assert.equal(parseBody(batch(3), 2).kind, "invalid");
    });
});

describe("matching upstream answers to forwarded calls", () => {
    const err = { code: -32601, message: "nope", data: "0x08c379a0" };

    it("matches by our 1-based ids, in any order", () => {
        const answers = matchUpstreamAnswers(
            [
                { jsonrpc: "2.0", id: 2, result: "0x2" },
                { jsonrpc: "2.0", id: 1, error: err },
            ],
            [true, true],
        );
        assert.deepEqual(answers, [
            { kind: "error", value: err },
            { kind: "result", value: "0x2" },
        ]);
    });

    it("a lone error whose id the node lost (id null, as ganache does for id 0) belongs to the lone call", () => {
        assert.deepEqual(matchUpstreamAnswers({ jsonrpc: "2.0", id: null, error: err }, [true]), [{ kind: "error", value: err }]);
    });

    it("in a batch, one id-less error goes to the one unanswered call", () => {
        const answers = matchUpstreamAnswers(
            [
                { jsonrpc: "2.0", id: 1, result: "0x1" },
                { jsonrpc: "2.0", id: null, error: err },
            ],
            [true, true],
        );
        assert.deepEqual(answers[1], { kind: "error", value: err });
    });

    it("one error object for a whole batch answers every call", () => {
        assert.deepEqual(matchUpstreamAnswers({ jsonrpc: "2.0", id: null, error: err }, [true, false, true]), [
            { kind: "error", value: err },
            undefined,
            { kind: "error", value: err },
        ]);
    });

    it("an ambiguous or unknown answer leaves only that call unanswered", () => {
        const answers = matchUpstreamAnswers(
            [
                { jsonrpc: "2.0", id: 1, result: "0x1" },
                { jsonrpc: "2.0", id: 99, result: "0x99" },
                { jsonrpc: "2.0", id: null, error: err },
                { jsonrpc: "2.0", id: null, error: err },
                "garbage",
            ],
            [true, true, true],
        );
        assert.deepEqual(answers, [{ kind: "result", value: "0x1" }, undefined, undefined]);
    });

    it("never assigns an answer to a notification, nor one call twice", () => {
        fc.assert(
            fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.array(fc.jsonValue(), { maxLength: 10 }), (expects, body) => {
                const answers = matchUpstreamAnswers(body, expects);
                assert.equal(answers.length, expects.length);
                answers.forEach((a, i) => assert.ok(a === undefined || expects[i]));
            }),
        );
    });
});

describe("CORS (CORS_ORIGINS)", () => {
    it("is off by default and for an empty value", () => {
        const off = parseCorsOrigins("");
        assert.ok(off.ok && off.policy.kind === "off");
        assert.ok(off.ok);
        assert.deepEqual(corsHeaders(off.policy, "https://a.example"), {});
        assert.equal(preflightHeaders(off.policy, "https://a.example", "content-type"), undefined);
    });

    it("allows listed origins only, case-insensitively, and says it varies by Origin", () => {
        const r = parseCorsOrigins("https://a.example, http://localhost:5173");
        assert.ok(r.ok);
        assert.deepEqual(corsHeaders(r.policy, "https://A.example"), { vary: "Origin", "access-control-allow-origin": "https://A.example" });
        assert.deepEqual(corsHeaders(r.policy, "https://evil.example"), { vary: "Origin" });
        const pre = preflightHeaders(r.policy, "http://localhost:5173", "content-type, x-custom");
        assert.equal(pre?.["access-control-allow-headers"], "content-type, x-custom");
        assert.equal(pre?.["access-control-allow-methods"], "POST, OPTIONS");
        assert.equal(preflightHeaders(r.policy, "https://a.example", "bad\r\nheader")?.["access-control-allow-headers"], "content-type");
    });

    it("* allows any origin", () => {
        const r = parseCorsOrigins("*");
        assert.ok(r.ok);
        assert.equal(corsHeaders(r.policy, "https://x.example")["access-control-allow-origin"], "*");
    });

    for (const bad of ["https://a.example/path", "a.example", "ftp://a.example", "https://a.example,,"]) {
        it(`rejects ${JSON.stringify(bad)}`, () => {
            assert.equal(parseCorsOrigins(bad).ok, false);
        });
    }
});

describe("gzip negotiation", () => {
    it("reads Accept-Encoding with q-values", () => {
        assert.equal(acceptsGzip(undefined), false);
        assert.equal(acceptsGzip("gzip, deflate, br"), true);
        assert.equal(acceptsGzip("br;q=1.0, gzip;q=0.5"), true);
        assert.equal(acceptsGzip("gzip;q=0"), false);
        assert.equal(acceptsGzip("*"), true);
        assert.equal(acceptsGzip("identity"), false);
        assert.equal(acceptsGzip("*;q=0.1, gzip;q=0"), false);
    });

    it("compresses large answers when asked, leaves small ones alone", async () => {
        const big = JSON.stringify({ jsonrpc: "2.0", id: 1, result: "0x" + "ab".repeat(GZIP_MIN_BYTES) });
        const out = await maybeGzip(jsonResponse(200, big, "i", "MISS"), "gzip");
        assert.equal(out.headers["content-encoding"], "gzip");
        assert.equal(out.headers.vary, "Accept-Encoding");
        assert.ok(typeof out.body !== "string");
        assert.equal(gunzipSync(out.body).toString("utf8"), big);
        const plain = await maybeGzip(jsonResponse(200, big, "i", "MISS"), undefined);
        assert.equal(plain.body, big);
        assert.equal(plain.headers.vary, "Accept-Encoding", "caches must know the answer depends on Accept-Encoding");
        const small = await maybeGzip(jsonResponse(200, '{"jsonrpc":"2.0","id":1,"result":"0x1"}', "i", "MISS"), "gzip");
        assert.equal(small.headers["content-encoding"], undefined);
    });

    it("answers that are not compressed come back as they are, synchronously (no promise on the hot path)", () => {
        const small = jsonResponse(200, '{"jsonrpc":"2.0","id":1,"result":"0x1"}', "i", "HIT");
        const empty = jsonResponse(204, "", "i", "BYPASS");
        const encoded = jsonResponse(200, "x".repeat(GZIP_MIN_BYTES), "i", "MISS", { "content-encoding": "br" });
        for (const out of [small, empty, encoded]) {
            assert.equal(maybeGzip(out, "gzip"), out);
        }
        const large = jsonResponse(200, "x".repeat(GZIP_MIN_BYTES), "i", "MISS");
        assert.ok(!(maybeGzip(large, undefined) instanceof Promise), "a large answer the client cannot take gzipped is not compressed");
        assert.ok(maybeGzip(large, "gzip") instanceof Promise);
    });
});
