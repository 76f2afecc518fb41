/**
 * Turns a raw run into a summary and checks it against thresholds. Pure, so the
 * threshold logic is tested with made-up numbers.
 */
import type { Thresholds } from "./args";
import type { RunResult } from "./run";

export interface Summary {
    readonly scheduled: number;
    readonly answered: number;
    readonly errors: number;
    readonly errorRate: number;
    /** Answers per second over the measured window. */
    readonly achievedRps: number;
    readonly latencyMs: {
        readonly p50: number;
        readonly p90: number;
        readonly p95: number;
        readonly p99: number;
        readonly max: number;
        readonly mean: number;
    };
    readonly outcomes: Readonly<Record<string, number>>;
    /** Answers per instance, largest first. */
    readonly instances: readonly { readonly id: string; readonly count: number; readonly share: number }[];
    readonly maxSendLagMs: number;
}

export interface Verdict {
    readonly passed: boolean;
    /** One line per threshold: what was measured against what was allowed. */
    readonly checks: readonly { readonly name: string; readonly passed: boolean; readonly detail: string }[];
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: Float64Array, p: number): number {
    if (sorted.length === 0) {
        return Number.NaN;
    }
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(run: RunResult): Summary {
    const sorted = Float64Array.from(run.latenciesMs).sort();
    let sum = 0;
    for (const v of sorted) {
        sum += v;
    }
    const answered = sorted.length;
    const instances = [...run.instances.entries()]
        .map(([id, count]) => ({ id, count, share: answered === 0 ? 0 : count / answered }))
        .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
    return {
        scheduled: run.scheduled,
        answered,
        errors: run.errors,
        errorRate: run.scheduled === 0 ? 0 : run.errors / run.scheduled,
        achievedRps: run.elapsedMs > 0 ? (answered / run.elapsedMs) * 1000 : 0,
        latencyMs: {
            p50: percentile(sorted, 50),
            p90: percentile(sorted, 90),
            p95: percentile(sorted, 95),
            p99: percentile(sorted, 99),
            max: answered === 0 ? Number.NaN : sorted[answered - 1],
            mean: answered === 0 ? Number.NaN : sum / answered,
        },
        outcomes: Object.fromEntries([...run.outcomes.entries()].sort(([a], [b]) => a.localeCompare(b))),
        instances,
        maxSendLagMs: run.maxSendLagMs,
    };
}

/**
 * Each threshold is a strict "below": an error rate of exactly 1 % fails a 1 % limit,
 * as "error rate < 1 %" reads. No answers at all fails the latency check (NaN is not a
 * pass), so a run against a dead URL never exits 0.
 */
export function evaluate(summary: Summary, thresholds: Thresholds): Verdict {
    const checks: { name: string; passed: boolean; detail: string }[] = [];
    checks.push({
        name: "error rate",
        passed: summary.errorRate < thresholds.maxErrorRate,
        detail: `${pct(summary.errorRate)} (${summary.errors}/${summary.scheduled}), must be < ${pct(thresholds.maxErrorRate)}`,
    });
    const p95 = summary.latencyMs.p95;
    checks.push({
        name: "p95 latency",
        passed: Number.isFinite(p95) && p95 < thresholds.maxP95Ms,
        detail: `${ms(p95)}, must be < ${ms(thresholds.maxP95Ms)}`,
    });
    if (thresholds.minInstances > 0) {
        const named = summary.instances.filter((i) => i.id !== "(none)").length;
        checks.push({
            name: "instances",
            passed: named >= thresholds.minInstances,
            detail: `${named} distinct x-instance-id answered, must be >= ${thresholds.minInstances}`,
        });
    }
    return { passed: checks.every((c) => c.passed), checks };
}

export function pct(rate: number): string {
    return `${(rate * 100).toFixed(2)}%`;
}

export function ms(value: number): string {
    return Number.isFinite(value) ? `${value.toFixed(1)} ms` : "n/a";
}
