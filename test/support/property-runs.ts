/**
 * How many cases a property test tries. The suite uses the full count; the mutation
 * measurement (`npm run test:mutation`) sets WEBFLEET_PROPERTY_RUNS to cap it, because it
 * re-runs the covering tests once per mutant.
 */
export function propertyRuns(full: number): number {
    const cap = Number(process.env.WEBFLEET_PROPERTY_RUNS);
    return Number.isSafeInteger(cap) && cap > 0 ? Math.min(full, cap) : full;
}
