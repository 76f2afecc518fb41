/**
 * A bounded load driver: `concurrency` workers each send requests back to back until
 * `durationMs` passes, `maxRequests` are sent, or `stop()` is called. Counts statuses
 * and transport errors; it never retries, so every failure shows.
 */
import type { Reply } from "./http";

export interface LoadResult {
    total: number;
    statuses: Map<number, number>;
    errors: string[];
}

export interface LoadRun {
    readonly done: Promise<LoadResult>;
    /** Workers send no new requests after this; in-flight ones still complete. */
    stop(): void;
    readonly result: LoadResult;
}

export function startLoad(opts: {
    concurrency: number;
    durationMs: number;
    maxRequests: number;
    send: (n: number) => Promise<Reply>;
}): LoadRun {
    const result: LoadResult = { total: 0, statuses: new Map(), errors: [] };
    const deadline = Date.now() + opts.durationMs;
    let stopped = false;
    let sent = 0;
    const worker = async (): Promise<void> => {
        while (!stopped && Date.now() < deadline && sent < opts.maxRequests) {
            const n = sent++;
            try {
                const reply = await opts.send(n);
                result.statuses.set(reply.status, (result.statuses.get(reply.status) ?? 0) + 1);
            } catch (error) {
                result.errors.push(error instanceof Error ? error.message : String(error));
            }
            result.total += 1;
        }
    };
    const done = Promise.all(Array.from({ length: opts.concurrency }, worker)).then(() => result);
    return { done, result, stop: () => { stopped = true; } };
}

export function count(result: LoadResult, predicate: (status: number) => boolean): number {
    let n = 0;
    for (const [status, c] of result.statuses) {
        if (predicate(status)) {
            n += c;
        }
    }
    return n;
}

export function describe(result: LoadResult): string {
    const statuses = [...result.statuses].map(([s, c]) => `${s}×${c}`).join(" ");
    return `${result.total} requests; statuses ${statuses || "none"}; ${result.errors.length} transport errors ${result.errors.slice(0, 3).join(" | ")}`;
}
