/**
 * The last line of defence for the connection budget: the live `max_connections` can be
 * lower than the fleet program planned for (a raised value that waits for a reboot, a DBA's
 * change, a smaller instance). At start, and whenever the database may have restarted, the
 * task reads `SHOW max_connections` and never lets its pool open more than its share:
 *
 *     share = floor((live max_connections − reserved) / peak tasks)
 *     pool  = max(1, min(DB_POOL_MAX, share))
 *
 * Until the first check succeeds the pool opens at most one connection (the one the check
 * itself uses), so no burst at start can overshoot either.
 */
import type { Pool } from "pg";
import { errorMessage, log } from "./log";

export interface PoolBudgetInput {
    /** DB_POOL_MAX: what the fleet program planned for this task. */
    readonly planned: number;
    /** DB_PEAK_TASKS; 0 turns the guard off. */
    readonly peakTasks: number;
    readonly reservedConnections: number;
}

/** What the pool may open, given the live limit. Pure. */
export function effectivePoolMax(input: PoolBudgetInput, liveMaxConnections: number): number {
    if (input.peakTasks <= 0) {
        return input.planned;
    }
    const share = Math.floor((liveMaxConnections - input.reservedConnections) / input.peakTasks);
    return Math.max(1, Math.min(input.planned, share));
}

/** What /api/ready reports about the pool. */
export interface PoolBudgetState {
    readonly planned: number;
    /** What the pool may open now. */
    readonly effective: number;
    /** Last `SHOW max_connections`; undefined until a check succeeded. */
    readonly liveMaxConnections: number | undefined;
    readonly guard: "on" | "off";
}

const RETRY_MS = 2000;

export class PoolGuard {
    private live: number | undefined;
    private warned = false;
    private pending: Promise<void> | undefined;
    private retryTimer: NodeJS.Timeout | undefined;
    private stopped = false;

    constructor(
        private readonly pool: Pool,
        private readonly input: PoolBudgetInput,
    ) {
        if (input.peakTasks > 0) {
            // One connection until the live limit is known.
            pool.options.max = 1;
            // An idle client's error usually means the server went away: it may come back
            // with another max_connections (a reboot applies a pending one), so check again.
            pool.on("error", () => this.scheduleCheck());
        }
    }

    get state(): PoolBudgetState {
        return {
            planned: this.input.planned,
            effective: this.pool.options.max ?? this.input.planned,
            liveMaxConnections: this.live,
            guard: this.input.peakTasks > 0 ? "on" : "off",
        };
    }

    /** Reads the live limit and sizes the pool; retries in the background while Postgres is unreachable. */
    check(): Promise<void> {
        if (this.input.peakTasks <= 0) {
            return Promise.resolve();
        }
        this.pending ??= this.pool
            .query<{ max_connections: string }>("SHOW max_connections")
            .then(
                (result) => this.apply(Number(result.rows[0]?.max_connections)),
                (error: unknown) => {
                    log("warn", "pool guard could not read max_connections, will retry", { error: errorMessage(error) });
                    this.scheduleCheck();
                },
            )
            .finally(() => {
                this.pending = undefined;
            });
        return this.pending;
    }

    private apply(live: number): void {
        if (!Number.isSafeInteger(live) || live < 1) {
            log("warn", "pool guard got an unusable max_connections, will retry", { value: String(live) });
            this.scheduleCheck();
            return;
        }
        this.live = live;
        const effective = effectivePoolMax(this.input, live);
        this.pool.options.max = effective;
        if (effective < this.input.planned && !this.warned) {
            this.warned = true;
            log("warn", "pool shrunk to fit the live max_connections", {
                planned: this.input.planned,
                effective,
                liveMaxConnections: live,
                peakTasks: this.input.peakTasks,
                reservedConnections: this.input.reservedConnections,
                rule: `min(${this.input.planned}, floor((${live} - ${this.input.reservedConnections}) / ${this.input.peakTasks}))`,
            });
        }
    }

    private scheduleCheck(): void {
        if (this.stopped || this.retryTimer !== undefined) {
            return;
        }
        this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            void this.check();
        }, RETRY_MS);
        this.retryTimer.unref();
    }

    stop(): void {
        this.stopped = true;
        clearTimeout(this.retryTimer);
    }
}
