/**
 * The garbage-collection lines tools/bench/gc-observer.ts writes into a server's log, read
 * back per fixed-rate round.
 */
export const GC_LINE_PREFIX = "webfleet-bench-gc";

export interface GcPauses {
    /** Collections in the text. */
    readonly count: number;
    /** Their pauses added up, ms. */
    readonly totalMs: number;
    /** The longest one, ms (0 when there was none). */
    readonly maxMs: number;
}

const LINE = new RegExp(`^${GC_LINE_PREFIX} (\\w+) (\\d+(?:\\.\\d+)?)$`);

/** The pauses in `text` (a stretch of a server log); other lines are skipped. */
export function gcPauses(text: string): GcPauses {
    let count = 0;
    let totalMs = 0;
    let maxMs = 0;
    for (const line of text.split("\n")) {
        const match = LINE.exec(line);
        if (match === null) continue;
        const ms = Number(match[2]);
        count += 1;
        totalMs += ms;
        maxMs = Math.max(maxMs, ms);
    }
    return { count, totalMs, maxMs };
}
