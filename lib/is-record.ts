/** A plain object: not null, not an array. The one guard the program's tools use on untyped input. */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
