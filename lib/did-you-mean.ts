/**
 * "Did you mean …?" for a mistyped name: the closest known name by edit distance, when it
 * is close enough to be a likely typo. Pure; used for config keys the project does not
 * declare (lib/settings.ts, tools/mock-runner/stack-config.ts).
 */

/** Levenshtein distance (insert, delete, substitute), case-insensitive. */
export function editDistance(a: string, b: string): number {
    const s = a.toLowerCase();
    const t = b.toLowerCase();
    let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
    for (let i = 1; i <= s.length; i++) {
        const current = [i];
        for (let j = 1; j <= t.length; j++) {
            const substitute = previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1);
            current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitute));
        }
        previous = current;
    }
    return previous[t.length];
}

/**
 * The known name closest to `name`, if within max(1, a third of its length) edits; ties go
 * to the first in `known`. Undefined when nothing is close (a new key, not a typo).
 */
export function closest(name: string, known: readonly string[]): string | undefined {
    const limit = Math.max(1, Math.floor(name.length / 3));
    let best: { name: string; distance: number } | undefined;
    for (const candidate of known) {
        const distance = editDistance(name, candidate);
        if (distance <= limit && (best === undefined || distance < best.distance)) {
            best = { name: candidate, distance };
        }
    }
    return best?.name;
}

/** `; did you mean 'webfleet:replicas'?` or "" when nothing is close. */
export function didYouMean(name: string, known: readonly string[], show: (k: string) => string = (k) => k): string {
    const match = closest(name, known);
    return match === undefined ? "" : `; did you mean '${show(match)}'?`;
}
