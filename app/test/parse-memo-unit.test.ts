/** The memo of parsed calls: always what parseBody answers, only faster for repeated calls. No servers. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { type ParsedBody, parseBody } from "../lib/jsonrpc";
import { MAX_INTEGER_ID_DIGITS, MAX_STRING_ID_CHARS, MAX_TEXT_CHARS, ParseMemo, plainIdAt } from "../lib/parse-memo";
import { rawIds, singleIdRange } from "../lib/rpc-ids";

const MAX_BATCH = 1000;
const everyMethod = (): boolean => true;

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

function single(parsed: ParsedBody): { params: unknown; id: unknown; rawId: string } {
    assert.equal(parsed.kind, "single");
    assert.ok(parsed.kind === "single" && parsed.item.kind === "call");
    return parsed.item.call;
}

describe("parse memo: repeated calls are parsed once", () => {
    it("answers exactly what parseBody answers, whatever it has seen before", () => {
        fc.assert(
            fc.property(family, fc.array(family, { maxLength: 3 }), (f, others) => {
                const memo = new ParseMemo(100, everyMethod);
                for (const o of others) {
                    memo.parse(callText(o.ids[0], o.method, o.params, o.extra, o.space), MAX_BATCH);
                }
                for (const id of f.ids) {
                    const text = callText(id, f.method, f.params, f.extra, f.space);
                    assert.deepEqual(memo.parse(text, MAX_BATCH), parseBody(text, MAX_BATCH), text);
                }
            }),
        );
    });

    it("serves a repeat from the memo: one shared, frozen params object, each text's own id", () => {
        const paramsArb = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 })), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })));
        fc.assert(
            fc.property(plainId, plainId, paramsArb, ws, (a, b, params, space) => {
                fc.pre(callText(a, "eth_call", params, [], space).length <= MAX_TEXT_CHARS - MAX_STRING_ID_CHARS);
                const memo = new ParseMemo(100, everyMethod);
                const first = single(memo.parse(callText(a, "eth_call", params, [], space), MAX_BATCH));
                const second = single(memo.parse(callText(b, "eth_call", params, [], space), MAX_BATCH));
                assert.equal(memo.size, 1);
                assert.equal(second.params, first.params);
                assert.ok(Object.isFrozen(second.params));
                assert.equal(second.rawId, b);
                assert.deepEqual(second.id, JSON.parse(b));
            }),
        );
    });

    it("does not take an id inside params, before the call's own, for the call's id", () => {
        const memo = new ParseMemo(100, everyMethod);
        const first = '{"jsonrpc":"2.0","method":"eth_call","params":[{"id":1}],"id":7}';
        const second = '{"jsonrpc":"2.0","method":"eth_call","params":[{"id":2}],"id":7}';
        assert.deepEqual(memo.parse(first, MAX_BATCH), parseBody(first));
        assert.equal(memo.size, 0);
        const call = single(memo.parse(second, MAX_BATCH));
        assert.deepEqual(call.params, [{ id: 2 }]);
        assert.equal(call.rawId, "7");
    });

    it("keeps only single, valid calls of the methods it is told to, in plain form, short enough", () => {
        const memo = new ParseMemo(100, (m) => m === "eth_chainId");
        const kept = (text: string): boolean => {
            const before = memo.size;
            assert.deepEqual(memo.parse(text, MAX_BATCH), parseBody(text));
            return memo.size > before;
        };
        assert.equal(kept('{"jsonrpc":"2.0","method":"eth_getBalance","params":[],"id":1}'), false, "a method not kept");
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

    it("holds at most maxEntries texts, forgetting the oldest first; 0 keeps none", () => {
        const text = (n: number, id = 1): string => `{"jsonrpc":"2.0","method":"eth_call","params":[${n}],"id":${id}}`;
        const memo = new ParseMemo(3, everyMethod);
        const first = [0, 1, 2, 3].map((n) => single(memo.parse(text(n), MAX_BATCH)).params);
        assert.equal(memo.size, 3);
        assert.notEqual(single(memo.parse(text(0, 2), MAX_BATCH)).params, first[0], "the oldest was forgotten");
        assert.equal(single(memo.parse(text(3, 2), MAX_BATCH)).params, first[3], "the newest is kept");
        const none = new ParseMemo(0, everyMethod);
        none.parse(text(0), MAX_BATCH);
        assert.equal(none.size, 0);
    });

    it("finds a plain id after the first \"id\": and nothing else", () => {
        assert.deepEqual(plainIdAt('{"id": 12,"x":1}'), { start: 7, end: 9 });
        assert.deepEqual(plainIdAt('{"id":null}'), { start: 6, end: 10 });
        assert.deepEqual(plainIdAt('{"id":0123}'), { start: 6, end: 7 });
        assert.deepEqual(plainIdAt('{"id":"a"}'), { start: 6, end: 9 });
        for (const text of ['{"x":1}', '{"id":}', '{"id":-}', '{"id":"a\\"b"}', '{"id":"a', '{"id":"\u0001"}', '{"id":true}']) {
            assert.equal(plainIdAt(text), undefined, text);
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
