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
    if (text[start] === "[") {
        const ids: (string | undefined)[] = [];
        scanner.eachElement(start, (elementStart) => {
            ids.push(text[elementStart] === "{" ? scanner.idOf(elementStart) : undefined);
        });
        return { kind: "batch", ids };
    }
    return { kind: "single", id: text[start] === "{" ? scanner.idOf(start) : undefined };
}

class Scanner {
    constructor(private readonly text: string) {}

    skipWhitespace(i: number): number {
        let at = i;
        while (at < this.text.length && " \t\n\r".includes(this.text[at])) {
            at += 1;
        }
        return at;
    }

    /** The raw `id` value of the object starting at `start`, if it has one. */
    idOf(start: number): string | undefined {
        let id: string | undefined;
        let at = this.skipWhitespace(start + 1);
        while (this.text[at] !== "}") {
            const keyEnd = this.endOfString(at);
            const key: unknown = JSON.parse(this.text.slice(at, keyEnd));
            const valueStart = this.skipWhitespace(this.skipWhitespace(keyEnd) + 1);
            const valueEnd = this.endOfValue(valueStart);
            if (key === "id") {
                id = this.text.slice(valueStart, valueEnd);
            }
            at = this.skipWhitespace(valueEnd);
            if (this.text[at] === ",") {
                at = this.skipWhitespace(at + 1);
            }
        }
        return id;
    }

    /** Calls `visit` with the start of each element of the array at `start`. */
    eachElement(start: number, visit: (elementStart: number) => void): void {
        let at = this.skipWhitespace(start + 1);
        while (this.text[at] !== "]") {
            visit(at);
            at = this.skipWhitespace(this.endOfValue(at));
            if (this.text[at] === ",") {
                at = this.skipWhitespace(at + 1);
            }
        }
    }

    /** `start` is at a `"`; returns the index just past the closing quote. */
    private endOfString(start: number): number {
        let at = start + 1;
        while (this.text[at] !== '"') {
            at += this.text[at] === "\\" ? 2 : 1;
        }
        return at + 1;
    }

    /** Returns the index just past the value starting at `start`. */
    private endOfValue(start: number): number {
        const c = this.text[start];
        if (c === '"') {
            return this.endOfString(start);
        }
        if (c === "{" || c === "[") {
            let depth = 0;
            let at = start;
            do {
                const d = this.text[at];
                if (d === '"') {
                    at = this.endOfString(at);
                    continue;
                }
                if (d === "{" || d === "[") {
                    depth += 1;
                } else if (d === "}" || d === "]") {
                    depth -= 1;
                }
                at += 1;
            } while (depth > 0);
            return at;
        }
        // A number, true, false or null: runs until a delimiter.
        let at = start;
        while (at < this.text.length && !",}] \t\n\r".includes(this.text[at])) {
            at += 1;
        }
        return at;
    }
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
