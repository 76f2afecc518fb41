/**
 * A JSON object: not null, not an array. The one guard every parser of untyped input uses.
 * The program (lib/is-record.ts) and the policy pack (policy/is-record.ts) keep their own
 * copies: each of the three packages is built or published alone.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
