/**
 * The names the gateway publishes as CloudWatch metrics (Embedded Metric Format on
 * stdout, lib/metrics.ts). The fleet program's dashboard (lib/dashboard.ts at the repo
 * root) imports this same module, so a graph can never ask for a metric the app does not
 * emit. Plain data: no imports, safe for both the app build and the Pulumi program.
 */

/** CloudWatch namespace of every metric the gateway emits. */
export const METRIC_NAMESPACE = "Webfleet/Gateway";

/** Dimension keys. `Service` is METRICS_SERVICE (the stack's name prefix); `Task` the ECS task id. */
export const METRIC_DIMENSIONS = {
    service: "Service",
    task: "Task",
    upstreamHost: "UpstreamHost",
} as const;

/** Per-task metrics, published under [Service] and [Service, Task]. */
export const TASK_METRICS = {
    /** /api/gateway requests answered in the interval. */
    requests: "Requests",
    status4xx: "Status4xx",
    status5xx: "Status5xx",
    /** Latency percentiles of /api/gateway requests in the interval (ms, from an in-process histogram). */
    latencyP50: "LatencyP50",
    latencyP99: "LatencyP99",
    latencyMax: "LatencyMax",
    cacheHits: "CacheHits",
    cacheMisses: "CacheMisses",
    cacheBypasses: "CacheBypasses",
    /** Open PostgreSQL connections of this task's pool (what pg_stat_activity counts). */
    poolOpen: "PoolOpen",
    /** Connections checked out by a query right now. */
    poolInUse: "PoolInUse",
    /** Queries queued for a connection: the pool is at DB_POOL_MAX. */
    poolWaiting: "PoolWaiting",
    /** DB_POOL_MAX, so a graph shows the ceiling next to the use. */
    poolMax: "PoolMax",
} as const;

/** Per-upstream-host metrics, published under [Service, UpstreamHost] and [Service, Task, UpstreamHost]. */
export const UPSTREAM_METRICS = {
    requests: "UpstreamRequests",
    /** Unreachable, non-2xx, invalid JSON: answered 502. */
    errors: "UpstreamErrors",
    /** No answer within UPSTREAM_TIMEOUT_MS: answered 504. */
    timeouts: "UpstreamTimeouts",
} as const;

export type TaskMetricName = (typeof TASK_METRICS)[keyof typeof TASK_METRICS];
export type UpstreamMetricName = (typeof UPSTREAM_METRICS)[keyof typeof UPSTREAM_METRICS];

/** Every metric name the app emits. */
export const EMITTED_METRIC_NAMES: readonly string[] = [...Object.values(TASK_METRICS), ...Object.values(UPSTREAM_METRICS)];
