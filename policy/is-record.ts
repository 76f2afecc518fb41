/**
 * A plain object: not null, not an array. The one guard the policy pack uses on untyped props.
 * Its own copy of lib/is-record.ts: `pulumi policy publish` packs policy/ alone (`npm pack`),
 * so the pack cannot import the program's lib/.
 */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
