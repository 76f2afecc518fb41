/** A plain object: not null, not an array. The one guard the policy pack uses on untyped props. */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
