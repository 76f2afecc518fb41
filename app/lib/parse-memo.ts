/**
 * Parsed JSON-RPC calls by their text with the id left out. Clients repeat the same
 * calls over and over (ethers and viem poll `eth_chainId` and `eth_blockNumber`), each
 * time with a new id and otherwise the same bytes; depth-checking, parsing and
 * validating such a body again took 2.3 µs of every cache hit, against 0.6 µs from here
 * (BENCHMARKS.md, run 11). So a single call whose text was seen before, up to its id, is
 * answered from here: the same result `parseBody` gives, with this text's own id.
 *
 * Why that is the same result: a remembered text was valid JSON, and its id's value sat
 * exactly where the lookup finds one (the first `"id":`, checked against the scanner
 * that reads ids as JSON.parse does). The lookup only accepts a plain id value there —
 * `null`, an integer of at most 15 digits, or a string without escapes or control
 * characters — and the text around it must match a remembered one byte for byte. Putting
 * one such scalar where another stood keeps the text valid, its nesting depth and every
 * member but `id`. Anything else (batches, other ids, long texts) is parsed as before.
 *
 * Bounded: at most `maxEntries` texts of at most MAX_TEXT_CHARS each, only those the
 * caller chose to `keep` (the gateway keeps calls the cache answered: a call asked once,
 * such as eth_getBalance of a new address, would only churn the memo, which cost the
 * miss path a sixth of its CPU when every cacheable call was kept); the oldest go first.
 * The remembered params are frozen, since every hit shares them. Pure: no I/O.
 */
import { type BatchItem, type ParsedBody, parseBody, type RpcCall } from "./jsonrpc";
import { BACKSLASH, isWhitespace, QUOTE, singleIdRange, type TextRange } from "./rpc-ids";

/** Longer bodies are parsed every time (they are not the repeated polling calls). */
export const MAX_TEXT_CHARS = 1024;
/** Longest string id (quotes included) the lookup accepts; UUIDs and the like fit. */
export const MAX_STRING_ID_CHARS = 130;
/** Longest integer id, in digits: every such integer is exact as a double. */
export const MAX_INTEGER_ID_DIGITS = 15;

const ID_MEMBER = '"id":';
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

interface Template {
    readonly method: string;
    readonly params: unknown;
    readonly hasParams: boolean;
}

/** A call parsed from a text the memo could hold; `ParseMemo.keep` stores it. */
export interface Candidate {
    readonly key: string;
    readonly text: string;
    readonly id: TextRange;
    readonly call: RpcCall;
}

export interface MemoParse {
    readonly parsed: ParsedBody;
    /** Set when the text was parsed anew and could be kept: hand it to `keep` if it is worth it. */
    readonly candidate?: Candidate;
}

export class ParseMemo {
    private readonly templates = new Map<string, Template>();

    constructor(readonly maxEntries: number) {}

    get size(): number {
        return this.templates.size;
    }

    /** `parsed` is what `parseBody(text, maxBatch)` returns. */
    parse(text: string, maxBatch: number): MemoParse {
        const id = text.length <= MAX_TEXT_CHARS ? plainIdAt(text) : undefined;
        if (id === undefined) {
            return { parsed: parseBody(text, maxBatch) };
        }
        const key = templateKey(text, id);
        const template = this.templates.get(key);
        if (template !== undefined) {
            const rawId = text.slice(id.start, id.end);
            // Spelled out: an object spread here cost ten times the whole lookup (V8's slow clone path).
            const call = { method: template.method, params: template.params, hasParams: template.hasParams, id: plainIdValue(rawId), rawId, notification: false, template };
            return { parsed: { kind: "single", item: { kind: "call", call } } };
        }
        const parsed = parseBody(text, maxBatch);
        const item: BatchItem | undefined = parsed.kind === "single" ? parsed.item : undefined;
        return item?.kind === "call" ? { parsed, candidate: { key, text, id, call: item.call } } : { parsed };
    }

    /**
     * Remembers a candidate's call for later texts that differ from it only in the id. The
     * caller keeps the calls it expects again (the gateway: those the cache answered), so
     * one-off calls such as every eth_getBalance of a new address never take a slot.
     */
    keep(candidate: Candidate): void {
        if (this.maxEntries === 0 || this.templates.has(candidate.key)) {
            return;
        }
        // The scanner's id must be the one the lookup found (not an "id" inside params).
        const scanned = singleIdRange(candidate.text);
        if (scanned === undefined || scanned.start !== candidate.id.start || scanned.end !== candidate.id.end) {
            return;
        }
        if (this.templates.size >= this.maxEntries) {
            const oldest = this.templates.keys().next();
            if (oldest.done !== true) {
                this.templates.delete(oldest.value);
            }
        }
        const { method, params, hasParams } = candidate.call;
        this.templates.set(candidate.key, { method, params: deepFreeze(params), hasParams });
    }
}

/**
 * The text with its id's value cut out. NUL cannot occur in valid JSON text, so two keys
 * are equal only when the texts around the ids are.
 */
function templateKey(text: string, id: TextRange): string {
    return `${text.slice(0, id.start)}\u0000${text.slice(id.end)}`;
}

/** The value after the first `"id":` when it is a plain id (see the top), else undefined. */
export function plainIdAt(text: string): TextRange | undefined {
    const member = text.indexOf(ID_MEMBER);
    if (member === -1) {
        return undefined;
    }
    let start = member + ID_MEMBER.length;
    while (isWhitespace(text.charCodeAt(start))) {
        start += 1;
    }
    const end = plainIdEnd(text, start);
    return end === undefined ? undefined : { start, end };
}

function plainIdEnd(text: string, start: number): number | undefined {
    const first = text.charCodeAt(start);
    if (first === QUOTE) {
        const last = Math.min(text.length, start + MAX_STRING_ID_CHARS) - 1;
        for (let at = start + 1; at <= last; at++) {
            const c = text.charCodeAt(at);
            if (c === QUOTE) {
                return at + 1;
            }
            if (c < 0x20 || c === BACKSLASH) {
                return undefined;
            }
        }
        return undefined;
    }
    if (text.startsWith("null", start)) {
        return start + 4;
    }
    const digits = first === MINUS ? start + 1 : start;
    let at = digits;
    if (text.charCodeAt(at) === ZERO) {
        at += 1; // JSON allows no other digit after a leading zero
    } else {
        while (isDigit(text.charCodeAt(at))) {
            at += 1;
        }
    }
    const count = at - digits;
    return count === 0 || count > MAX_INTEGER_ID_DIGITS ? undefined : at;
}

/** The value JSON.parse gives a plain id's text. */
function plainIdValue(raw: string): string | number | null {
    if (raw.charCodeAt(0) === QUOTE) {
        return raw.slice(1, -1);
    }
    return raw === "null" ? null : Number(raw);
}

function isDigit(c: number): boolean {
    return c >= ZERO && c <= NINE;
}

/** Params from JSON.parse: plain arrays and objects, at most MAX_JSON_DEPTH deep. */
function deepFreeze(value: unknown): unknown {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        for (const child of Object.values(value)) {
            deepFreeze(child);
        }
        Object.freeze(value);
    }
    return value;
}
