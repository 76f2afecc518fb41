/**
 * JSON-RPC ids as the client wrote them, and the ids the gateway uses upstream.
 *
 * A client's id is echoed byte for byte: `JSON.parse` turns 12345678901234567890 into
 * 12345678901234567000 and `1e3` into 1000, and a client matching answers by id text
 * would lose them. So the gateway keeps the raw text of every top-level `id` member
 * (`rawIds`) and writes it back verbatim (`responseText`).
 *
 * Upstream, calls are renumbered 1…n (never 0: ganache 7 answers an error for `"id": 0`
 * with `"id": null`, as if the id were missing), so duplicate or odd client ids can
 * never mix up whose answer is whose. Pure: no I/O.
 */

/** Raw id text per top-level call: `undefined` where the call has no `id` member or is not an object. */
export type RawIds = { readonly kind: "single"; readonly id: string | undefined } | { readonly kind: "batch"; readonly ids: readonly (string | undefined)[] };

/**
 * The raw text of the `id` member of the top-level object, or of each object in a
 * top-level array. `text` must already be valid JSON (call after `JSON.parse` succeeded).
 * Like `JSON.parse`, a repeated key counts with its last value.
 */
export function rawIds(text: string): RawIds {
    const scanner = new Scanner(text);
    const start = scanner.skipWhitespace(0);
    if (text.charCodeAt(start) === OPEN_ARRAY) {
        const ids: (string | undefined)[] = [];
        scanner.eachElement(start, (elementStart) => {
            ids.push(text.charCodeAt(elementStart) === OPEN_OBJECT ? scanner.idOf(elementStart) : undefined);
        });
        return { kind: "batch", ids };
    }
    return { kind: "single", id: text.charCodeAt(start) === OPEN_OBJECT ? scanner.idOf(start) : undefined };
}

/** `text.slice(start, end)`. */
export interface TextRange {
    readonly start: number;
    readonly end: number;
}

/**
 * Where the `id` value of a single call lies in its text: the span `rawIds` returns as
 * `id`. `undefined` for a batch or a call without an id. `text` must be valid JSON.
 */
export function singleIdRange(text: string): TextRange | undefined {
    const scanner = new Scanner(text);
    const start = scanner.skipWhitespace(0);
    return text.charCodeAt(start) === OPEN_OBJECT ? scanner.idRangeOf(start) : undefined;
}

// Character codes: the scanner reads codes, not one-character strings (it runs on every request).
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/**
 * Index of the quote that closes the string opened at `open` (`text[open]` is `"`), or
 * `text.length` when none does. Jumps from quote to quote with `indexOf` instead of reading
 * every character: a string's length is most of a large body or answer (hex data, logs),
 * and a character loop over it cost 6–8 ns a character (BENCHMARKS.md, run 14). A quote
 * closes the string when an even number of backslashes precedes it.
 */
export function closingQuote(text: string, open: number): number {
    let from = open + 1;
    for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) {
            return text.length;
        }
        let before = quote - 1;
        while (before > open && text.charCodeAt(before) === BACKSLASH) {
            before -= 1;
        }
        if ((quote - 1 - before) % 2 === 0) {
            return quote;
        }
        from = quote + 1;
    }
}

/** JSON's four whitespace characters. */
export function isWhitespace(c: number): boolean {
    return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The key text `"id"`, the one key the scanner looks for (an escaped spelling is decoded by isIdKey). */
const ID_KEY = '"id"';

class Scanner {
    constructor(private readonly text: string) {}

    skipWhitespace(i: number): number {
        let at = i;
        while (at < this.text.length && isWhitespace(this.text.charCodeAt(at))) {
            at += 1;
        }
        return at;
    }

    /** The raw `id` value of the object starting at `start`, if it has one. */
    idOf(start: number): string | undefined {
        const range = this.idRangeOf(start);
        return range === undefined ? undefined : this.text.slice(range.start, range.end);
    }

    /** Where the `id` value of the object starting at `start` lies (the last one, as JSON.parse reads it). */
    idRangeOf(start: number): TextRange | undefined {
        const text = this.text;
        let id: TextRange | undefined;
        let at = this.skipWhitespace(start + 1);
        while (text.charCodeAt(at) !== CLOSE_OBJECT) {
            const keyEnd = this.endOfString(at);
            const valueStart = this.skipWhitespace(this.skipWhitespace(keyEnd) + 1);
            const valueEnd = this.endOfValue(valueStart);
            if (isIdKey(text, at, keyEnd)) {
                id = { start: valueStart, end: valueEnd };
            }
            at = this.skipWhitespace(valueEnd);
            if (text.charCodeAt(at) === COMMA) {
                at = this.skipWhitespace(at + 1);
            }
        }
        return id;
    }

    /** Calls `visit` with the start of each element of the array at `start`. */
    eachElement(start: number, visit: (elementStart: number) => void): void {
        let at = this.skipWhitespace(start + 1);
        while (this.text.charCodeAt(at) !== CLOSE_ARRAY) {
            visit(at);
            at = this.skipWhitespace(this.endOfValue(at));
            if (this.text.charCodeAt(at) === COMMA) {
                at = this.skipWhitespace(at + 1);
            }
        }
    }

    /** `start` is at a `"`; returns the index just past the closing quote. */
    private endOfString(start: number): number {
        return closingQuote(this.text, start) + 1;
    }

    /** Returns the index just past the value starting at `start`. */
    private endOfValue(start: number): number {
        const text = this.text;
        const c = text.charCodeAt(start);
        if (c === QUOTE) {
            return this.endOfString(start);
        }
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
            let depth = 0;
            let at = start;
            do {
                const d = text.charCodeAt(at);
                if (d === QUOTE) {
                    at = this.endOfString(at);
                    continue;
                }
                if (d === OPEN_OBJECT || d === OPEN_ARRAY) {
                    depth += 1;
                } else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
                    depth -= 1;
                }
                at += 1;
            } while (depth > 0);
            return at;
        }
        // A number, true, false or null: runs until a delimiter.
        let at = start;
        while (at < text.length) {
            const d = text.charCodeAt(at);
            if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || isWhitespace(d)) {
                break;
            }
            at += 1;
        }
        return at;
    }
}

/** Whether the key string `text[start, end)` (quotes included) means `id`. */
function isIdKey(text: string, start: number, end: number): boolean {
    if (end - start === ID_KEY.length) {
        return text.startsWith(ID_KEY, start);
    }
    // Longer spellings of "id" use escapes (`"\u0069d"`); a key without a backslash is some other key.
    for (let at = start; at < end; at++) {
        if (text.charCodeAt(at) === BACKSLASH) {
            return JSON.parse(text.slice(start, end)) === "id";
        }
    }
    return false;
}

/** The id sent upstream for the call at `index` of the forwarded list: 1-based, never 0. */
export function upstreamId(index: number): number {
    return index + 1;
}

/** The forwarded-list index an upstream id refers to, or undefined when it is none of ours. */
export function forwardedIndex(id: unknown, count: number): number | undefined {
    return typeof id === "number" && Number.isInteger(id) && id >= 1 && id <= count ? id - 1 : undefined;
}

/**
 * One response object as text, with the client's id written back exactly as it sent it.
 * `memberJson` is the JSON text of the `result` or `error` value.
 */
export function responseText(rawId: string, member: "result" | "error", memberJson: string): string {
    return `{"jsonrpc":"2.0","id":${rawId},"${member}":${memberJson}}`;
}
