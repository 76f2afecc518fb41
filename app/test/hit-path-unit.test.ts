/** The cache-hit path's shortcuts: the memo of parsed calls, remembered cache keys, the endpoint parameter. Each answers what the long way answers. No servers. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { responseCacheKey } from "../lib/cache-policy";
import { forwardCalls } from "../lib/forward";
import { endpointParam } from "../lib/gateway";
import { type ParsedBody, parseBody } from "../lib/jsonrpc";
import { MAX_INTEGER_ID_DIGITS, MAX_STRING_ID_CHARS, MAX_TEXT_CHARS, ParseMemo, plainIdAt } from "../lib/parse-memo";
import { rawIds, singleIdRange } from "../lib/rpc-ids";

const MAX_BATCH = 1000;

/** Parses `text` and keeps whatever the memo offers, as the gateway does after a cache hit. */
function parseKeeping(memo: ParseMemo, text: string): ParsedBody {
    const { parsed, candidate } = memo.parse(text, MAX_BATCH);
    if (candidate !== undefined) {
        memo.keep(candidate);
    }
    return parsed;
}

/** Plain ids (the memo's fast path) and every other kind of token that can stand after `"id":`. */
const plainId = fc.oneof(
    fc.constantFrom("null", "0", "-0", "7", "-12", "9".repeat(MAX_INTEGER_ID_DIGITS), '""', '"a b,}]"', '"ünï"'),
    fc.integer().map(String),
    fc.string({ maxLength: 20 }).filter((s) => !/["\\\u0000-\u001f]/.test(s)).map((s) => `"${s}"`),
);
const otherToken = fc.oneof(
    fc.constantFrom(
        "1".repeat(MAX_INTEGER_ID_DIGITS + 1), "12345678901234567890", "1e3", "1.5", "1e999", "01", "-", "--1", "12abc", "nul", "nullx",
        "true", "{}", "[]", '"a\\"b"', '"\\u0041"', '"tab\there"', '"unterminated', `"${"x".repeat(MAX_STRING_ID_CHARS)}"`, "", " 5",
    ),
    fc.string({ maxLength: 6 }),
);
const ws = fc.constantFrom("", " ", "\n ", "\t");
const method = fc.constantFrom("eth_chainId", "eth_blockNumber", "eth_getBalance", "", "x");
const member = fc.tuple(fc.constantFrom("jsonrpc", "method", "params", "extra", "id", "\\u0069d"), fc.jsonValue({ maxDepth: 3 }));

/** A call as clients write it: members in any order, `"id":<token>` first (where the memo looks). */
function callText(id: string, m: string, params: unknown, extra: readonly (readonly [string, unknown])[], space: string): string {
    const members = [`"id":${space}${id}`, `"jsonrpc":"2.0"`, `"method":${JSON.stringify(m)}`, `"params":${JSON.stringify(params)}`, ...extra.map(([k, v]) => `"${k}":${JSON.stringify(v)}`)];
    return `{${space}${members.join(`,${space}`)}${space}}`;
}

/** A family of texts that differ only in the id token. */
const family = fc.record({
    method,
    params: fc.oneof(fc.constant([]), fc.jsonValue({ maxDepth: 3 }), fc.constant([{ id: 1 }])),
    extra: fc.array(member, { maxLength: 2 }),
    space: ws,
    ids: fc.array(fc.oneof(plainId, plainId, otherToken), { minLength: 2, maxLength: 5 }),
});

/** A parse without the memo's template token (the one field parseBody never sets). */
function withoutTemplate(parsed: ParsedBody): ParsedBody {
    if (parsed.kind !== "single" || parsed.item.kind !== "call" || parsed.item.call.template === undefined) {
        return parsed;
    }
    const { template: _template, ...call } = parsed.item.call;
    return { kind: "single", item: { kind: "call", call } };
}

function single(parsed: ParsedBody): { params: unknown; id: unknown; rawId: string } {
    assert.equal(parsed.kind, "single");
    assert.ok(parsed.kind === "single" && parsed.item.kind === "call");
    return parsed.item.call;
}

describe("parse memo: repeated calls are parsed once", () => {
    it("answers exactly what parseBody answers, whatever it has seen before", () => {
        fc.assert(
            fc.property(family, fc.array(family, { maxLength: 3 }), (f, others) => {
                const memo = new ParseMemo(100);
                for (const o of others) {
                    parseKeeping(memo, callText(o.ids[0], o.method, o.params, o.extra, o.space));
                }
                for (const id of f.ids) {
                    const text = callText(id, f.method, f.params, f.extra, f.space);
                    assert.deepEqual(withoutTemplate(parseKeeping(memo, text)), parseBody(text, MAX_BATCH), text);
                }
            }),
        );
    });

    it("serves a repeat from the memo: one shared, frozen params object, each text's own id", () => {
        const paramsArb = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 })), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })));
        fc.assert(
            fc.property(plainId, plainId, paramsArb, ws, (a, b, params, space) => {
                fc.pre(callText(a, "eth_call", params, [], space).length <= MAX_TEXT_CHARS - MAX_STRING_ID_CHARS);
                const memo = new ParseMemo(100);
                const first = single(parseKeeping(memo, callText(a, "eth_call", params, [], space)));
                const second = single(parseKeeping(memo, callText(b, "eth_call", params, [], space)));
                assert.equal(memo.size, 1);
                assert.equal(second.params, first.params);
                assert.ok(Object.isFrozen(second.params));
                assert.equal(second.rawId, b);
                assert.deepEqual(second.id, JSON.parse(b));
            }),
        );
    });

    it("does not take an id inside params, before the call's own, for the call's id", () => {
        const memo = new ParseMemo(100);
        const first = '{"jsonrpc":"2.0","method":"eth_call","params":[{"id":1}],"id":7}';
        const second = '{"jsonrpc":"2.0","method":"eth_call","params":[{"id":2}],"id":7}';
        assert.deepEqual(parseKeeping(memo, first), parseBody(first));
        assert.equal(memo.size, 0);
        const call = single(parseKeeping(memo, second));
        assert.deepEqual(call.params, [{ id: 2 }]);
        assert.equal(call.rawId, "7");
    });

    it("offers only single, valid calls in plain form, short enough, and stores only what it is asked to keep", () => {
        const memo = new ParseMemo(100);
        const kept = (text: string): boolean => {
            const before = memo.size;
            assert.deepEqual(parseKeeping(memo, text), parseBody(text));
            return memo.size > before;
        };
        const notKept = '{"jsonrpc":"2.0","method":"eth_getBalance","params":[],"id":1}';
        assert.deepEqual(memo.parse(notKept, MAX_BATCH).parsed, parseBody(notKept));
        assert.equal(memo.size, 0, "parse alone stores nothing");
        assert.notEqual(single(memo.parse(notKept.replace('"id":1', '"id":2'), MAX_BATCH).parsed).params, single(parseBody(notKept)).params);
        assert.equal(memo.size, 0);
        assert.equal(kept('[{"jsonrpc":"2.0","method":"eth_chainId","params":[],"id":1}]'), false, "a batch");
        assert.equal(kept('{"jsonrpc":"1.0","method":"eth_chainId","id":1}'), false, "an invalid call");
        assert.equal(kept('{"jsonrpc":"2.0","method":"eth_chainId"}'), false, "a notification");
        assert.equal(kept(`{"jsonrpc":"2.0","method":"eth_chainId","id":"${"x".repeat(MAX_STRING_ID_CHARS)}"}`), false, "a long string id");
        assert.equal(kept(`{"jsonrpc":"2.0","method":"eth_chainId","id":${"1".repeat(MAX_INTEGER_ID_DIGITS + 1)}}`), false, "a long integer id");
        assert.equal(kept('{"jsonrpc":"2.0","method":"eth_chainId","id":"\\u0041"}'), false, "an escaped id");
        assert.equal(kept('{"jsonrpc":"2.0","method":"eth_chainId","id" : 1}'), false, "space before the colon");
        const long = `{"jsonrpc":"2.0","method":"eth_chainId","params":["${"p".repeat(MAX_TEXT_CHARS)}"],"id":1}`;
        assert.equal(kept(long), false, "a text over MAX_TEXT_CHARS");
        assert.equal(kept(`{"jsonrpc":"2.0","method":"eth_chainId","params":[],"id":${"9".repeat(MAX_INTEGER_ID_DIGITS)}}`), true);
        assert.equal(kept('{"jsonrpc":"2.0","method":"eth_chainId","params":[1],"id":"a-b"}'), true);
    });

    it("keeps a text of exactly MAX_TEXT_CHARS characters; one character more is parsed every time", () => {
        const sized = (length: number, id: number): string => {
            const head = '{"jsonrpc":"2.0","method":"eth_call","params":["';
            const tail = `"],"id":${id}}`;
            return `${head}${"p".repeat(length - head.length - tail.length)}${tail}`;
        };
        for (const [length, remembered] of [[MAX_TEXT_CHARS, true], [MAX_TEXT_CHARS + 1, false]] as const) {
            const memo = new ParseMemo(10);
            assert.equal(sized(length, 1).length, length);
            const first = single(parseKeeping(memo, sized(length, 1)));
            const again = single(parseKeeping(memo, sized(length, 2)));
            assert.equal(memo.size, remembered ? 1 : 0, `${length} characters`);
            assert.equal(again.params === first.params, remembered, `${length} characters`);
            assert.equal(again.rawId, "2");
        }
    });

    it("keeps nothing whose id the lookup misread: a fraction or exponent after the digits, or an \"id\": in a notification's params", () => {
        const memo = new ParseMemo(10);
        for (const [first, second] of [
            ['{"jsonrpc":"2.0","method":"eth_chainId","id":1.5}', '{"jsonrpc":"2.0","method":"eth_chainId","id":2.5}'],
            ['{"jsonrpc":"2.0","method":"eth_chainId","id":1e3}', '{"jsonrpc":"2.0","method":"eth_chainId","id":2e3}'],
            ['{"jsonrpc":"2.0","method":"eth_call","params":[{"id":1}]}', '{"jsonrpc":"2.0","method":"eth_call","params":[{"id":2}]}'],
        ]) {
            assert.deepEqual(parseKeeping(memo, first), parseBody(first), first);
            assert.equal(memo.size, 0, first);
            assert.deepEqual(parseKeeping(memo, second), parseBody(second), second);
        }
    });

    it("parses anew a text that differs from a remembered one in any character but the id's, or is not valid JSON there", () => {
        const remembered = '{"jsonrpc":"2.0","method":"eth_chainId","params":[],"id":1}';
        const idAt = remembered.indexOf('"id":1') + 5;
        const texts = [...remembered].flatMap((c, i) => (i === idAt ? [] : [`${remembered.slice(0, i)}${c === "x" ? "y" : "x"}${remembered.slice(i + 1)}`]));
        // Digits that run into a colon, and a control character (invalid in JSON) in a string id.
        texts.push(remembered.replace('"id":1', '"id":7:'), remembered.replace('"id":1', '"id":"\u001f"'));
        for (const text of texts) {
            const memo = new ParseMemo(10);
            parseKeeping(memo, remembered);
            assert.equal(memo.size, 1);
            assert.deepEqual(withoutTemplate(memo.parse(text, MAX_BATCH).parsed), parseBody(text, MAX_BATCH), JSON.stringify(text));
        }
    });

    it("freezes remembered params all the way down (every hit shares them)", () => {
        const memo = new ParseMemo(10);
        const text = (id: number): string => `{"jsonrpc":"2.0","method":"eth_call","params":[{"to":"0xab","data":["0x01",{"n":null}]},"latest"],"id":${id}}`;
        parseKeeping(memo, text(1));
        const params = single(parseKeeping(memo, text(2))).params;
        assert.deepEqual(params, [{ to: "0xab", data: ["0x01", { n: null }] }, "latest"]);
        const nested: unknown[] = [];
        const walk = (v: unknown): void => {
            if (typeof v === "object" && v !== null) {
                nested.push(v);
                Object.values(v).forEach(walk);
            }
        };
        walk(params);
        assert.equal(nested.length, 4);
        for (const v of nested) {
            assert.ok(Object.isFrozen(v), JSON.stringify(v));
        }
    });

    it("holds at most maxEntries texts, forgetting the oldest first; 0 keeps none", () => {
        const text = (n: number, id = 1): string => `{"jsonrpc":"2.0","method":"eth_call","params":[${n}],"id":${id}}`;
        const memo = new ParseMemo(3);
        const first = [0, 1, 2, 3].map((n) => single(parseKeeping(memo, text(n))).params);
        assert.equal(memo.size, 3);
        assert.notEqual(single(memo.parse(text(0, 2), MAX_BATCH).parsed).params, first[0], "the oldest was forgotten");
        assert.equal(single(memo.parse(text(3, 2), MAX_BATCH).parsed).params, first[3], "the newest is kept");
        const none = new ParseMemo(0);
        parseKeeping(none, text(0));
        assert.equal(none.size, 0);
    });

    it("finds a plain id after the first \"id\": and nothing else", () => {
        assert.deepEqual(plainIdAt('{"id": 12,"x":1}'), { start: 7, end: 9 });
        assert.deepEqual(plainIdAt('{"id":null}'), { start: 6, end: 10 });
        assert.deepEqual(plainIdAt('{"id":0123}'), { start: 6, end: 7 });
        assert.deepEqual(plainIdAt('{"id":"a"}'), { start: 6, end: 9 });
        const longest = `"${"x".repeat(MAX_STRING_ID_CHARS - 2)}"`;
        assert.deepEqual(plainIdAt(`{"id":${longest}}`), { start: 6, end: 6 + MAX_STRING_ID_CHARS });
        assert.equal(plainIdAt(`{"id":"x${longest.slice(1)}}`), undefined, "one character longer");
        for (const text of ['{"x":1}', '{"ab":"x"}', "[10,20]", '{"id":}', '{"id":-}', '{"id":"a\\"b"}', '{"id":"a', '{"id":"\u0001"}', '{"id":"\u001f"}', '{"id":true}']) {
            assert.equal(plainIdAt(text), undefined, text);
        }
    });
});

describe("forwardCalls: cache keys of remembered calls", () => {
    it("asks the cache under responseCacheKey's key for every endpoint and upstream, remembered call or not", async () => {
        const memo = new ParseMemo(10);
        const text = (id: number): string => `{"jsonrpc":"2.0","method":"eth_getBalance","params":["0xab","latest"],"id":${id}}`;
        const asked: string[] = [];
        const deps = {
            cacheTtls: new Map([["eth_getBalance", 60]]),
            cache: { getMany: async (keys: readonly string[]) => (asked.push(...keys), keys.map(() => '"0x1"')), set: () => undefined },
            upstream: { post: () => Promise.reject(new Error("every call is a cache hit here")) },
        };
        const a = new URL("https://a.example/key-1");
        const b = new URL("https://b.example/key-2");
        const cases: [string, URL][] = [["e1", a], ["e1", a], ["e2", a], ["e1", b], ["e1", new URL(a.href)], ["e2", a], ["e1", a]];
        for (const [i, [endpointId, url]] of cases.entries()) {
            const { parsed, candidate } = memo.parse(text(i), MAX_BATCH);
            assert.ok(parsed.kind === "single");
            const outcome = await forwardCalls([parsed.item], { ...deps, endpointId, url });
            assert.equal(outcome.cache, "HIT");
            assert.equal(asked.at(-1), responseCacheKey(endpointId, url, "eth_getBalance", ["0xab", "latest"]), `case ${i}`);
            assert.equal(parsed.item.kind === "call" && parsed.item.call.template !== undefined, i > 0, `case ${i}: remembered after the first`);
            if (candidate !== undefined) {
                memo.keep(candidate);
            }
        }
    });
});

describe("gateway: the endpoint query parameter", () => {
    it("reads what URLSearchParams reads, for any query", () => {
        const piece = fc.constantFrom("endpoint", "endpoint=", "=", "&", "%", "%20", "%2", "%zz", "+", "a", "_-", "é", "#", ";");
        fc.assert(
            fc.property(fc.array(piece, { maxLength: 8 }).map((parts) => parts.join("")), (search) => {
                assert.equal(endpointParam(search), new URLSearchParams(search).get("endpoint"), search);
            }),
        );
        for (const search of ["endpoint=abc", "endpoint=a+b", "endpoint=a%2Db", "endpoint=a&endpoint=b", "x=1&endpoint=c", "", "endpoint"]) {
            assert.equal(endpointParam(search), new URLSearchParams(search).get("endpoint"), search);
        }
    });
});

describe("rpc-ids: where a single call's id lies", () => {
    it("is the span rawIds reads as the id, for any single call; none for a batch", () => {
        fc.assert(
            fc.property(fc.dictionary(fc.constantFrom("id", "jsonrpc", "method", "params"), fc.jsonValue({ maxDepth: 2 })), ws, (value, space) => {
                const text = `${space}${JSON.stringify(value, null, space.length > 0 ? 1 : 0)}`;
                const raw = rawIds(text);
                const range = singleIdRange(text);
                assert.equal(raw.kind, "single");
                assert.equal(range === undefined ? undefined : text.slice(range.start, range.end), raw.kind === "single" ? raw.id : "");
                assert.equal(singleIdRange(`[${text}]`), undefined);
            }),
        );
    });
});
