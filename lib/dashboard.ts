/**
 * The fleet's CloudWatch dashboard, as the JSON body CloudWatch expects
 * (CloudWatch-Dashboard-Body-Structure): a 24-column grid of metric widgets. Pure: the
 * component (components/dashboard.ts) resolves the resource ids and calls this, tests
 * check the result without mocks, and tools/dashboard/render.ts draws its layout for the
 * README.
 *
 * The gateway's own metrics (namespace, names, dimensions) come from the app's
 * metric-names module, the same one the app emits them with: a widget cannot ask for a
 * metric the app does not write.
 */
import { METRIC_DIMENSIONS, METRIC_NAMESPACE, TASK_METRICS, UPSTREAM_METRICS } from "../app/lib/metric-names";

export interface DashboardInput {
    readonly region: string;
    /** The `Service` dimension the tasks emit under (their METRICS_SERVICE). */
    readonly service: string;
    readonly albArnSuffix: string;
    readonly targetGroupArnSuffix: string;
    readonly clusterName: string;
    readonly serviceName: string;
    readonly dbInstanceId: string;
    /** The replication group's member clusters (`<group>-001`, …): ElastiCache reports per cluster. */
    readonly cacheClusterIds: readonly string[];
    readonly replicas: number;
    readonly maxReplicas: number;
    /** From the capacity plan: what the fleet may hold at its peak, the database's limit, and each task's pool. */
    readonly peakConnections: number;
    readonly dbMaxConnections: number;
    readonly poolPerTask: number;
}

/** One line of a metric widget: a metric with dimensions, or an expression. */
export type MetricLine = readonly (string | Readonly<Record<string, string | number | boolean>>)[];

export interface HorizontalAnnotation {
    readonly label: string;
    readonly value: number;
    readonly color?: string;
}

export interface MetricWidget {
    readonly type: "metric";
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly properties: {
        readonly title: string;
        readonly region: string;
        readonly view: "timeSeries";
        readonly stacked: false;
        readonly period: number;
        readonly stat: string;
        readonly metrics: readonly MetricLine[];
        readonly annotations?: { readonly horizontal: readonly HorizontalAnnotation[] };
        readonly yAxis?: { readonly left?: { readonly min?: number; readonly max?: number; readonly label?: string }; readonly right?: { readonly min?: number; readonly label?: string } };
    };
}

export interface DashboardBody {
    readonly widgets: readonly MetricWidget[];
}

export const GRID_COLUMNS = 24;
const WIDGET_WIDTH = 8;
const WIDGET_HEIGHT = 6;
const PERIOD_S = 60;
const RED = "#d62728";
const ORANGE = "#ff7f0e";

type WidgetSpec = Omit<MetricWidget["properties"], "region" | "view" | "stacked" | "period"> & { readonly period?: number };

/** SEARCH over one gateway metric for every task of this service: one line per task. */
function perTask(service: string, metric: string, stat: string, id: string, label: string): MetricLine {
    const { service: S, task: T } = METRIC_DIMENSIONS;
    return [{ expression: `SEARCH('{${METRIC_NAMESPACE},${S},${T}} MetricName="${metric}" ${S}="${service}"', '${stat}', ${PERIOD_S})`, id, label }];
}

/** SEARCH over one gateway metric per upstream host (fleet-wide). */
function perHost(service: string, metric: string, id: string, label: string): MetricLine {
    const { service: S, upstreamHost: H } = METRIC_DIMENSIONS;
    return [{ expression: `SEARCH('{${METRIC_NAMESPACE},${S},${H}} MetricName="${metric}" ${S}="${service}"', 'Sum', ${PERIOD_S})`, id, label }];
}

export function dashboardBody(input: DashboardInput): DashboardBody {
    const svc = input.service;
    const gw = (metric: string, options: Record<string, string | number | boolean> = {}): MetricLine => [
        METRIC_NAMESPACE, metric, METRIC_DIMENSIONS.service, svc, options,
    ];
    const alb = (metric: string, options: Record<string, string | number | boolean> = {}): MetricLine => [
        "AWS/ApplicationELB", metric, "LoadBalancer", input.albArnSuffix, options,
    ];
    const targets = (metric: string, options: Record<string, string | number | boolean> = {}): MetricLine => [
        "AWS/ApplicationELB", metric, "TargetGroup", input.targetGroupArnSuffix, "LoadBalancer", input.albArnSuffix, options,
    ];
    const ecs = (namespace: string, metric: string, options: Record<string, string | number | boolean> = {}): MetricLine => [
        namespace, metric, "ClusterName", input.clusterName, "ServiceName", input.serviceName, options,
    ];
    const rds = (metric: string, options: Record<string, string | number | boolean> = {}): MetricLine => [
        "AWS/RDS", metric, "DBInstanceIdentifier", input.dbInstanceId, options,
    ];
    const redis = (metric: string, stat: string): MetricLine[] =>
        input.cacheClusterIds.map((id) => ["AWS/ElastiCache", metric, "CacheClusterId", id, { stat, label: id }]);

    const specs: WidgetSpec[] = [
        // Row 1: the fleet as the load balancer sees it.
        { title: "Fleet requests per minute (ALB)", stat: "Sum", metrics: [alb("RequestCount", { label: "requests" })] },
        {
            title: "ALB target response time p95 / p99 (s)",
            stat: "p99",
            metrics: [alb("TargetResponseTime", { stat: "p95", label: "p95" }), alb("TargetResponseTime", { stat: "p99", label: "p99" })],
        },
        {
            title: "5xx per minute",
            stat: "Sum",
            metrics: [alb("HTTPCode_ELB_5XX_Count", { label: "from the ALB (no target, timeouts)", color: RED }), targets("HTTPCode_Target_5XX_Count", { label: "from the tasks", color: ORANGE })],
        },
        // Row 2: tasks.
        {
            title: "Healthy tasks vs replicas / maxReplicas",
            stat: "Minimum",
            metrics: [targets("HealthyHostCount", { label: "healthy targets" }), ecs("ECS/ContainerInsights", "RunningTaskCount", { stat: "Maximum", label: "running tasks" })],
            annotations: {
                horizontal: [
                    { label: `replicas ${input.replicas}`, value: input.replicas },
                    ...(input.maxReplicas > input.replicas ? [{ label: `maxReplicas ${input.maxReplicas}`, value: input.maxReplicas }] : []),
                ],
            },
            yAxis: { left: { min: 0 } },
        },
        { title: "Requests per task per minute (EMF)", stat: "Sum", metrics: [perTask(svc, TASK_METRICS.requests, "Sum", "reqtask", "")] },
        { title: "Latency p99 per task, ms (EMF)", stat: "Maximum", metrics: [perTask(svc, TASK_METRICS.latencyP99, "Maximum", "p99task", "")] },
        // Row 3: what the tasks report about their work.
        {
            title: "Shared cache hit ratio, % (EMF)",
            stat: "Sum",
            metrics: [
                [{ expression: "100 * hits / (hits + misses)", id: "ratio", label: "hit ratio %" }],
                gw(TASK_METRICS.cacheHits, { id: "hits", visible: false }),
                gw(TASK_METRICS.cacheMisses, { id: "misses", visible: false }),
                gw(TASK_METRICS.cacheBypasses, { id: "bypass", label: "bypassed (uncacheable or Redis down)", yAxis: "right" }),
            ],
            yAxis: { left: { min: 0, max: 100 }, right: { min: 0, label: "requests" } },
        },
        {
            title: "Upstream errors and timeouts per host (EMF)",
            stat: "Sum",
            metrics: [perHost(svc, UPSTREAM_METRICS.errors, "uperr", "errors"), perHost(svc, UPSTREAM_METRICS.timeouts, "uptime", "timeouts")],
        },
        {
            title: "Task CPU and memory, % (ECS)",
            stat: "Average",
            metrics: [ecs("AWS/ECS", "CPUUtilization", { label: "CPU" }), ecs("AWS/ECS", "MemoryUtilization", { label: "memory" })],
            yAxis: { left: { min: 0, max: 100 } },
        },
        // Row 4: the connection budget.
        {
            title: "PostgreSQL connections vs the budget",
            stat: "Maximum",
            metrics: [rds("DatabaseConnections", { label: "connections (RDS)" }), gw(TASK_METRICS.poolOpen, { stat: "Sum", label: "open in the fleet's pools (EMF)" })],
            annotations: {
                horizontal: [
                    { label: `plan peak ${input.peakConnections}`, value: input.peakConnections, color: ORANGE },
                    { label: `max_connections ${input.dbMaxConnections}`, value: input.dbMaxConnections, color: RED },
                ],
            },
            yAxis: { left: { min: 0 } },
        },
        {
            title: "Pool per task vs DB_POOL_MAX (EMF)",
            stat: "Maximum",
            metrics: [perTask(svc, TASK_METRICS.poolInUse, "Maximum", "inuse", ""), perTask(svc, TASK_METRICS.poolWaiting, "Maximum", "waiting", "")],
            annotations: { horizontal: [{ label: `DB_POOL_MAX ${input.poolPerTask}`, value: input.poolPerTask, color: RED }] },
            yAxis: { left: { min: 0 } },
        },
        {
            title: "RDS CPU % and free storage",
            stat: "Average",
            metrics: [rds("CPUUtilization", { label: "CPU %" }), rds("FreeStorageSpace", { stat: "Minimum", label: "free storage (bytes)", yAxis: "right" })],
            yAxis: { left: { min: 0, max: 100 }, right: { min: 0 } },
        },
        // Row 5: Redis.
        { title: "Redis engine CPU %", stat: "Average", metrics: redis("EngineCPUUtilization", "Average"), yAxis: { left: { min: 0, max: 100 } } },
        { title: "Redis memory used, % of maxmemory", stat: "Maximum", metrics: redis("DatabaseMemoryUsagePercentage", "Maximum"), yAxis: { left: { min: 0, max: 100 } } },
        { title: "Redis evictions per minute", stat: "Sum", metrics: redis("Evictions", "Sum"), yAxis: { left: { min: 0 } } },
    ];

    const perRow = GRID_COLUMNS / WIDGET_WIDTH;
    return {
        widgets: specs.map((spec, i) => ({
            type: "metric",
            x: (i % perRow) * WIDGET_WIDTH,
            y: Math.floor(i / perRow) * WIDGET_HEIGHT,
            width: WIDGET_WIDTH,
            height: WIDGET_HEIGHT,
            properties: { region: input.region, view: "timeSeries", stacked: false, period: PERIOD_S, ...spec },
        })),
    };
}

/** The console address of a dashboard. */
export function dashboardUrl(region: string, name: string): string {
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${encodeURIComponent(name)}`;
}

/** A metric a widget graphs directly (not through an expression). */
export interface MetricRef {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
}

/** A SEARCH expression's schema and metric name. */
export interface SearchRef {
    readonly namespace: string;
    readonly dimensionKeys: readonly string[];
    readonly metricName: string;
    /** `Key="value"` filters in the search. */
    readonly filters: Readonly<Record<string, string>>;
}

const SEARCH = /^SEARCH\('\{([^}]*)\}\s+(.*)',\s*'(\w+)',\s*\d+\)$/;

/**
 * Every metric and SEARCH a dashboard body refers to (for tests and for the layout picture).
 * A metric line whose dimensions are not name/value pairs is an error, not a metric with
 * one dimension fewer.
 */
export function dashboardRefs(body: DashboardBody): { metrics: MetricRef[]; searches: SearchRef[]; expressions: string[] } {
    const metrics: MetricRef[] = [];
    const searches: SearchRef[] = [];
    const expressions: string[] = [];
    for (const widget of body.widgets) {
        for (const line of widget.properties.metrics) {
            const strings = line.filter((part): part is string => typeof part === "string");
            const options = line.find((part): part is Readonly<Record<string, string | number | boolean>> => typeof part !== "string");
            const expression = options?.["expression"];
            if (strings.length === 0 && typeof expression === "string") {
                const m = SEARCH.exec(expression);
                if (m === null) {
                    expressions.push(expression);
                    continue;
                }
                const [namespace, ...dimensionKeys] = m[1].split(",").map((s) => s.trim());
                const filters: Record<string, string> = {};
                let metricName = "";
                for (const f of m[2].matchAll(/(\w+)="([^"]*)"/g)) {
                    if (f[1] === "MetricName") metricName = f[2];
                    else filters[f[1]] = f[2];
                }
                searches.push({ namespace, dimensionKeys, metricName, filters });
                continue;
            }
            const [namespace, metricName, ...pairs] = strings;
            if (pairs.length % 2 !== 0) {
                throw new Error(`${widget.properties.title}: ${namespace} ${metricName} names the dimension ${pairs[pairs.length - 1]} without a value`);
            }
            const dimensions: Record<string, string> = {};
            for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i]] = pairs[i + 1];
            metrics.push({ namespace, metricName, dimensions });
        }
    }
    return { metrics, searches, expressions };
}

/**
 * Alarm thresholds that follow from the stack's settings (components/alarms.ts).
 * RDS storage autoscaling grows storage when less than 10 % is free; the alarm fires
 * below 5 % of the allocated size (at least 1 GiB), i.e. when growing did not help.
 */
export function freeStorageAlarmBytes(allocatedStorageGb: number): number {
    const gib = 1024 ** 3;
    return Math.max(gib, Math.floor(allocatedStorageGb * gib * 0.05));
}
