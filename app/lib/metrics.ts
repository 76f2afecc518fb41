/**
 * Per-task metrics without an agent: counters and a latency histogram kept in memory,
 * written every METRICS_FLUSH_S seconds as CloudWatch Embedded Metric Format (EMF)
 * documents on stdout, which CloudWatch Logs turns into metrics when the awslogs driver
 * ships them. Nothing is written per request.
 *
 * EMF (CloudWatch_Embedded_Metric_Format_Specification): a root object with
 * `_aws: { Timestamp, CloudWatchMetrics: [{ Namespace, Dimensions: [[keys]], Metrics:
 * [{ Name, Unit }] }] }`, and every dimension key and metric name as a root member
 * (dimension values strings, metric values numbers). At most 100 metrics per directive,
 * at most 9 keys per dimension set.
 *
 * Latency: a metric value may be an array of at most 100 samples, with no counts, so a
 * minute of 2,000 req/s cannot travel as samples. The task keeps a log-bucketed
 * histogram instead (buckets 2^(1/8) ≈ 9 % wide) and emits its p50, p99 and max per
 * interval; percentiles are within 9 % of the exact nearest-rank value.
 */
import type { CacheStatus } from "./api";
import { METRIC_DIMENSIONS, METRIC_NAMESPACE, TASK_METRICS, UPSTREAM_METRICS } from "./metric-names";

export type UpstreamOutcome = "ok" | "timeout" | "unavailable" | "too-large" | "aborted";

export interface Observation {
    readonly status: number;
    readonly ms: number;
    readonly cache?: CacheStatus;
    readonly upstream?: { readonly host: string; readonly outcome: UpstreamOutcome };
}

export interface PoolStats {
    readonly open: number;
    readonly inUse: number;
    readonly waiting: number;
    readonly max: number;
}

export interface MetricDimensions {
    readonly service: string;
    readonly task: string;
}

/** Histogram resolution: bucket i holds (BASE·R^(i-1), BASE·R^i] milliseconds. */
const BASE_MS = 0.01;
const LOG_RATIO = Math.log(2) / 8;
/** Upstream hosts tracked per interval; the rest are counted under "other" (bounded cardinality). */
export const MAX_UPSTREAM_HOSTS = 50;
export const OTHER_HOST = "other";

export class LatencyHistogram {
    private readonly buckets = new Map<number, number>();
    count = 0;
    max = 0;

    add(ms: number): void {
        const value = Math.max(ms, 0);
        const index = value <= BASE_MS ? 0 : Math.ceil(Math.log(value / BASE_MS) / LOG_RATIO);
        this.buckets.set(index, (this.buckets.get(index) ?? 0) + 1);
        this.count += 1;
        if (value > this.max) {
            this.max = value;
        }
    }

    /** Nearest-rank percentile (0 < p ≤ 1), as its bucket's upper bound (never above the max seen). */
    percentile(p: number): number {
        if (this.count === 0) {
            return 0;
        }
        const rank = Math.max(1, Math.ceil(p * this.count));
        let seen = 0;
        for (const index of [...this.buckets.keys()].sort((a, b) => a - b)) {
            seen += this.buckets.get(index) ?? 0;
            if (seen >= rank) {
                return Math.min(BASE_MS * Math.exp(index * LOG_RATIO), this.max);
            }
        }
        return this.max;
    }
}

interface UpstreamCounts {
    requests: number;
    errors: number;
    timeouts: number;
}

/** What one flush interval saw. */
export class MetricsWindow {
    requests = 0;
    status4xx = 0;
    status5xx = 0;
    readonly latency = new LatencyHistogram();
    cacheHits = 0;
    cacheMisses = 0;
    cacheBypasses = 0;
    readonly upstream = new Map<string, UpstreamCounts>();

    add(o: Observation): void {
        this.requests += 1;
        if (o.status >= 500) {
            this.status5xx += 1;
        } else if (o.status >= 400) {
            this.status4xx += 1;
        }
        this.latency.add(o.ms);
        if (o.cache === "HIT") {
            this.cacheHits += 1;
        } else if (o.cache === "MISS") {
            this.cacheMisses += 1;
        } else if (o.cache === "BYPASS") {
            this.cacheBypasses += 1;
        }
        if (o.upstream !== undefined) {
            const host = this.upstream.has(o.upstream.host) || this.upstream.size < MAX_UPSTREAM_HOSTS ? o.upstream.host : OTHER_HOST;
            const counts = this.upstream.get(host) ?? { requests: 0, errors: 0, timeouts: 0 };
            counts.requests += 1;
            if (o.upstream.outcome === "timeout") {
                counts.timeouts += 1;
            } else if (o.upstream.outcome === "unavailable") {
                counts.errors += 1;
            }
            this.upstream.set(host, counts);
        }
    }
}

type Unit = "Count" | "Milliseconds";

function directive(dimensions: string[][], metrics: ReadonlyArray<readonly [string, Unit]>): Record<string, unknown> {
    return { Namespace: METRIC_NAMESPACE, Dimensions: dimensions, Metrics: metrics.map(([Name, Unit]) => ({ Name, Unit })) };
}

function round(ms: number): number {
    return Math.round(ms * 1000) / 1000;
}

/** The EMF documents (one JSON text each) for one interval. Pure. */
export function renderEmf(w: MetricsWindow, dims: MetricDimensions, pool: PoolStats, timestamp: number): string[] {
    const { service: S, task: T, upstreamHost: H } = METRIC_DIMENSIONS;
    const values: Record<string, number> = {
        [TASK_METRICS.requests]: w.requests,
        [TASK_METRICS.status4xx]: w.status4xx,
        [TASK_METRICS.status5xx]: w.status5xx,
        [TASK_METRICS.cacheHits]: w.cacheHits,
        [TASK_METRICS.cacheMisses]: w.cacheMisses,
        [TASK_METRICS.cacheBypasses]: w.cacheBypasses,
        [TASK_METRICS.poolOpen]: pool.open,
        [TASK_METRICS.poolInUse]: pool.inUse,
        [TASK_METRICS.poolWaiting]: pool.waiting,
        [TASK_METRICS.poolMax]: pool.max,
    };
    // A directive may only name members that exist: no latency without requests.
    if (w.latency.count > 0) {
        values[TASK_METRICS.latencyP50] = round(w.latency.percentile(0.5));
        values[TASK_METRICS.latencyP99] = round(w.latency.percentile(0.99));
        values[TASK_METRICS.latencyMax] = round(w.latency.max);
    }
    const latencyNames: readonly string[] = [TASK_METRICS.latencyP50, TASK_METRICS.latencyP99, TASK_METRICS.latencyMax];
    const taskDoc = {
        _aws: {
            Timestamp: timestamp,
            CloudWatchMetrics: [
                directive(
                    [[S], [S, T]],
                    Object.keys(values).map((name) => [name, latencyNames.includes(name) ? "Milliseconds" : "Count"] as const),
                ),
            ],
        },
        [S]: dims.service,
        [T]: dims.task,
        ...values,
    };
    const docs = [JSON.stringify(taskDoc)];
    for (const [host, counts] of w.upstream) {
        docs.push(
            JSON.stringify({
                _aws: {
                    Timestamp: timestamp,
                    CloudWatchMetrics: [
                        directive(
                            [[S, H], [S, T, H]],
                            [UPSTREAM_METRICS.requests, UPSTREAM_METRICS.errors, UPSTREAM_METRICS.timeouts].map((name) => [name, "Count"] as const),
                        ),
                    ],
                },
                [S]: dims.service,
                [T]: dims.task,
                [H]: host,
                [UPSTREAM_METRICS.requests]: counts.requests,
                [UPSTREAM_METRICS.errors]: counts.errors,
                [UPSTREAM_METRICS.timeouts]: counts.timeouts,
            }),
        );
    }
    return docs;
}

/** Collects observations and writes one interval's EMF documents every `intervalMs`. */
export class Metrics {
    private window = new MetricsWindow();
    private timer: NodeJS.Timeout | undefined;

    constructor(
        private dims: MetricDimensions,
        private readonly pool: () => PoolStats,
        private readonly write: (line: string) => void,
        private readonly now: () => number = Date.now,
    ) {}

    record(o: Observation): void {
        this.window.add(o);
    }

    setTask(task: string): void {
        this.dims = { ...this.dims, task };
    }

    /** 0 turns periodic flushing off (metrics are then never written). */
    start(intervalMs: number): void {
        if (intervalMs > 0) {
            this.timer = setInterval(() => this.flush(), intervalMs);
            this.timer.unref();
        }
    }

    flush(): void {
        const window = this.window;
        this.window = new MetricsWindow();
        for (const doc of renderEmf(window, this.dims, this.pool(), this.now())) {
            this.write(doc);
        }
    }

    /** Stops the timer and writes what the last partial interval saw (at shutdown). */
    stop(): void {
        if (this.timer !== undefined) {
            clearInterval(this.timer);
            this.timer = undefined;
            this.flush();
        }
    }
}
