/**
 * Nesting depth of JSON text, checked before parsing. JSON.parse copes with very deep
 * input, but JSON.stringify (cache keys, the upstream payload, the answer) recurses and
 * overflows the stack: ~10 KB of `[[[[…` would turn into a 500 for any client.
 */
import { closingQuote, QUOTE } from "./rpc-ids";

/**
 * True when `text` nests arrays/objects deeper than `max`. A linear scan of the text
 * (strings skipped whole, see `closingQuote`), so it cannot overflow the stack however
 * deep the input is.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
            i = closingQuote(text, i);
        } else if (c === 0x5b || c === 0x7b) {
            depth++;
            if (depth > max) {
                return true;
            }
        } else if (c === 0x5d || c === 0x7d) {
            depth--;
        }
    }
    return false;
}
