/**
 * A plain object: not null, not an array. The one guard the program's tools use on untyped input.
 *
 * The same one-liner exists in app/lib/is-record.ts and policy/is-record.ts on purpose: the
 * app is built into the image from app/ alone and the policy pack is published from policy/
 * alone (`npm pack`), so neither can import lib/. test/unit/is-record.test.ts keeps the three
 * in agreement.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
