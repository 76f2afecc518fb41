/**
 * One access line per request, up to ACCESS_LOG_MAX_PER_S lines per second; above that
 * the rest of the second is counted instead, and one summary line per second says how
 * many requests were not logged, by status. 2,000 req/s thus costs at most
 * ACCESS_LOG_MAX_PER_S + 1 lines/s, and nothing goes unaccounted for. Successes and
 * failures (5xx) have separate budgets, so a flood of good requests never hides the
 * errors. 5xx lines are written at `error` (they are the error, with its context), the
 * rest at `info`.
 */
import type { CacheStatus } from "./api";
import type { Level } from "./log";

export type AccessEntry = {
    readonly requestId: string;
    readonly clientRequestId?: string;
    readonly method: string;
    readonly path: string;
    readonly status: number;
    /** Milliseconds from the request's dispatch to its response. */
    readonly ms: number;
    readonly endpoint?: string;
    /** Distinct JSON-RPC methods (at most 10, then "+N more"). */
    readonly rpcMethods?: readonly string[];
    readonly batchSize?: number;
    readonly cache?: CacheStatus;
    readonly upstreamHost?: string;
    readonly upstreamMs?: number;
    readonly upstreamOutcome?: string;
    readonly error?: string;
};

export type Sink = (level: Level, msg: string, fields: Readonly<Record<string, unknown>>) => void;

interface Budget {
    logged: number;
    suppressed: number;
}

export class AccessLog {
    private second = -1;
    private readonly ok: Budget = { logged: 0, suppressed: 0 };
    private readonly failed: Budget = { logged: 0, suppressed: 0 };
    private byStatus = new Map<number, number>();
    private timer: NodeJS.Timeout | undefined;

    constructor(
        private readonly maxPerSecond: number,
        private readonly sink: Sink,
        private readonly now: () => number = Date.now,
    ) {}

    record(entry: AccessEntry): void {
        const t = this.now();
        const second = Math.floor(t / 1000);
        if (second !== this.second) {
            this.flush();
            this.second = second;
        }
        const isError = entry.status >= 500;
        const budget = isError ? this.failed : this.ok;
        if (budget.logged < this.maxPerSecond) {
            budget.logged += 1;
            this.sink(isError ? "error" : "info", "request", entry);
            return;
        }
        budget.suppressed += 1;
        this.byStatus.set(entry.status, (this.byStatus.get(entry.status) ?? 0) + 1);
        // The summary goes out when the second ends, even if no request follows.
        this.timer ??= setTimeout(() => this.flush(), 1000 - (t % 1000) + 1).unref();
    }

    /** Writes the pending summary (at the end of each second, and at shutdown). */
    flush(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        const suppressed = this.ok.suppressed + this.failed.suppressed;
        if (suppressed > 0) {
            this.sink(this.failed.suppressed > 0 ? "error" : "info", "requests not logged individually (ACCESS_LOG_MAX_PER_S)", {
                second: new Date(this.second * 1000).toISOString(),
                logged: this.ok.logged + this.failed.logged,
                notLogged: suppressed,
                notLoggedByStatus: Object.fromEntries(this.byStatus),
                maxPerSecond: this.maxPerSecond,
            });
        }
        this.ok.logged = this.ok.suppressed = this.failed.logged = this.failed.suppressed = 0;
        this.byStatus = new Map();
    }
}

/** Distinct methods of a batch, bounded so a 500-call batch does not make a 500-entry line. */
export function summarizeMethods(methods: readonly string[], limit = 10): string[] {
    const distinct = [...new Set(methods)];
    return distinct.length <= limit ? distinct : [...distinct.slice(0, limit), `+${distinct.length - limit} more`];
}
