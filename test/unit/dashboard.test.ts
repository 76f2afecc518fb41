import * as assert from "assert";
import * as fc from "fast-check";
import { EMITTED_METRIC_NAMES, METRIC_DIMENSIONS, METRIC_NAMESPACE, TASK_METRICS } from "../../app/lib/metric-names";
import { DashboardBody, dashboardBody, DashboardInput, dashboardRefs, dashboardUrl, freeStorageAlarmBytes, GRID_COLUMNS, MetricLine, MetricWidget } from "../../lib/dashboard";
import { propertyRuns } from "../support/property-runs";

export const SAMPLE: DashboardInput = {
    region: "us-east-1",
    service: "webfleet-prod",
    albArnSuffix: "app/webfleet-prod-web-alb/0123456789abcdef",
    targetGroupArnSuffix: "targetgroup/webfleet-prod-web-tg/0123456789abcdef",
    clusterName: "webfleet-prod-web-cluster-abc1234",
    serviceName: "webfleet-prod-web-svc-abc1234",
    dbInstanceId: "webfleet-prod-db-pg",
    cacheClusterIds: ["webfleet-prod-cache-rg-001", "webfleet-prod-cache-rg-002"],
    replicas: 4,
    maxReplicas: 8,
    peakConnections: 394,
    dbMaxConnections: 410,
    poolPerTask: 24,
};

// The sample's resources, as they appear in the metric lines.
const ALB = ["LoadBalancer", "app/webfleet-prod-web-alb/0123456789abcdef"];
const TG = ["TargetGroup", "targetgroup/webfleet-prod-web-tg/0123456789abcdef", ...ALB];
const ECS = ["ClusterName", "webfleet-prod-web-cluster-abc1234", "ServiceName", "webfleet-prod-web-svc-abc1234"];
const RDS = ["DBInstanceIdentifier", "webfleet-prod-db-pg"];
const GW = ["Service", "webfleet-prod"];
const NODE1 = "webfleet-prod-cache-rg-001";
const NODE2 = "webfleet-prod-cache-rg-002";
/** One line per cache node, labelled with the node's id. */
const nodeLines = (metric: string, stat: string): MetricLine[] => [NODE1, NODE2].map((node) => ["AWS/ElastiCache", metric, "CacheClusterId", node, { stat, label: node }]);

/** A tile of the expected body: every widget is an 8 × 6 one-minute time series in the stack's region. */
function tile(x: number, y: number, properties: Omit<MetricWidget["properties"], "region" | "view" | "stacked" | "period">, region = "us-east-1"): MetricWidget {
    return { type: "metric", x, y, width: 8, height: 6, properties: { region, view: "timeSeries", stacked: false, period: 60, ...properties } };
}

/** What an operator sees for the sample: 15 widgets, three per row, in this order. */
const EXPECTED: DashboardBody = {
    widgets: [
        tile(0, 0, { title: "Fleet requests per minute (ALB)", stat: "Sum", metrics: [["AWS/ApplicationELB", "RequestCount", ...ALB, { label: "requests" }]] }),
        tile(8, 0, {
            title: "ALB target response time p95 / p99 (s)",
            stat: "p99",
            metrics: [
                ["AWS/ApplicationELB", "TargetResponseTime", ...ALB, { stat: "p95", label: "p95" }],
                ["AWS/ApplicationELB", "TargetResponseTime", ...ALB, { stat: "p99", label: "p99" }],
            ],
        }),
        tile(16, 0, {
            title: "5xx per minute",
            stat: "Sum",
            metrics: [
                ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", ...ALB, { label: "from the ALB (no target, timeouts)", color: "#d62728" }],
                ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...TG, { label: "from the tasks", color: "#ff7f0e" }],
            ],
        }),
        tile(0, 6, {
            title: "Healthy tasks vs replicas / maxReplicas",
            stat: "Minimum",
            metrics: [
                ["AWS/ApplicationELB", "HealthyHostCount", ...TG, { label: "healthy targets" }],
                ["ECS/ContainerInsights", "RunningTaskCount", ...ECS, { stat: "Maximum", label: "running tasks" }],
            ],
            annotations: { horizontal: [{ label: "replicas 4", value: 4 }, { label: "maxReplicas 8", value: 8 }] },
            yAxis: { left: { min: 0 } },
        }),
        tile(8, 6, {
            title: "Requests per task per minute (EMF)",
            stat: "Sum",
            metrics: [[{ expression: `SEARCH('{Webfleet/Gateway,Service,Task} MetricName="Requests" Service="webfleet-prod"', 'Sum', 60)`, id: "reqtask", label: "" }]],
        }),
        tile(16, 6, {
            title: "Latency p99 per task, ms (EMF)",
            stat: "Maximum",
            metrics: [[{ expression: `SEARCH('{Webfleet/Gateway,Service,Task} MetricName="LatencyP99" Service="webfleet-prod"', 'Maximum', 60)`, id: "p99task", label: "" }]],
        }),
        tile(0, 12, {
            title: "Shared cache hit ratio, % (EMF)",
            stat: "Sum",
            metrics: [
                [{ expression: "100 * hits / (hits + misses)", id: "ratio", label: "hit ratio %" }],
                ["Webfleet/Gateway", "CacheHits", ...GW, { id: "hits", visible: false }],
                ["Webfleet/Gateway", "CacheMisses", ...GW, { id: "misses", visible: false }],
                ["Webfleet/Gateway", "CacheBypasses", ...GW, { id: "bypass", label: "bypassed (uncacheable or Redis down)", yAxis: "right" }],
            ],
            yAxis: { left: { min: 0, max: 100 }, right: { min: 0, label: "requests" } },
        }),
        tile(8, 12, {
            title: "Upstream errors and timeouts per host (EMF)",
            stat: "Sum",
            metrics: [
                [{ expression: `SEARCH('{Webfleet/Gateway,Service,UpstreamHost} MetricName="UpstreamErrors" Service="webfleet-prod"', 'Sum', 60)`, id: "uperr", label: "errors" }],
                [{ expression: `SEARCH('{Webfleet/Gateway,Service,UpstreamHost} MetricName="UpstreamTimeouts" Service="webfleet-prod"', 'Sum', 60)`, id: "uptime", label: "timeouts" }],
            ],
        }),
        tile(16, 12, {
            title: "Task CPU and memory, % (ECS)",
            stat: "Average",
            metrics: [
                ["AWS/ECS", "CPUUtilization", ...ECS, { label: "CPU" }],
                ["AWS/ECS", "MemoryUtilization", ...ECS, { label: "memory" }],
            ],
            yAxis: { left: { min: 0, max: 100 } },
        }),
        tile(0, 18, {
            title: "PostgreSQL connections vs the budget",
            stat: "Maximum",
            metrics: [
                ["AWS/RDS", "DatabaseConnections", ...RDS, { label: "connections (RDS)" }],
                ["Webfleet/Gateway", "PoolOpen", ...GW, { stat: "Sum", label: "open in the fleet's pools (EMF)" }],
            ],
            annotations: {
                horizontal: [
                    { label: "plan peak 394", value: 394, color: "#ff7f0e" },
                    { label: "max_connections 410", value: 410, color: "#d62728" },
                ],
            },
            yAxis: { left: { min: 0 } },
        }),
        tile(8, 18, {
            title: "Pool per task vs DB_POOL_MAX (EMF)",
            stat: "Maximum",
            metrics: [
                [{ expression: `SEARCH('{Webfleet/Gateway,Service,Task} MetricName="PoolInUse" Service="webfleet-prod"', 'Maximum', 60)`, id: "inuse", label: "" }],
                [{ expression: `SEARCH('{Webfleet/Gateway,Service,Task} MetricName="PoolWaiting" Service="webfleet-prod"', 'Maximum', 60)`, id: "waiting", label: "" }],
            ],
            annotations: { horizontal: [{ label: "DB_POOL_MAX 24", value: 24, color: "#d62728" }] },
            yAxis: { left: { min: 0 } },
        }),
        tile(16, 18, {
            title: "RDS CPU % and free storage",
            stat: "Average",
            metrics: [
                ["AWS/RDS", "CPUUtilization", ...RDS, { label: "CPU %" }],
                ["AWS/RDS", "FreeStorageSpace", ...RDS, { stat: "Minimum", label: "free storage (bytes)", yAxis: "right" }],
            ],
            yAxis: { left: { min: 0, max: 100 }, right: { min: 0 } },
        }),
        tile(0, 24, {
            title: "Redis engine CPU %",
            stat: "Average",
            metrics: nodeLines("EngineCPUUtilization", "Average"),
            yAxis: { left: { min: 0, max: 100 } },
        }),
        tile(8, 24, {
            title: "Redis memory used, % of maxmemory",
            stat: "Maximum",
            metrics: nodeLines("DatabaseMemoryUsagePercentage", "Maximum"),
            yAxis: { left: { min: 0, max: 100 } },
        }),
        tile(16, 24, {
            title: "Redis evictions per minute",
            stat: "Sum",
            metrics: nodeLines("Evictions", "Sum"),
            yAxis: { left: { min: 0 } },
        }),
    ],
};

const widget = (body: DashboardBody, titleStart: string): MetricWidget => {
    const found = body.widgets.find((w) => w.properties.title.startsWith(titleStart));
    assert.ok(found, `no widget titled ${titleStart}…`);
    return found;
};

/** Ids of a widget's lines (CloudWatch: unique per widget, starting with a lower-case letter). */
const ids = (w: MetricWidget): string[] => w.properties.metrics.flatMap((l) => l.flatMap((p) => (typeof p === "object" && typeof p["id"] === "string" ? [p["id"]] : [])));

/** A valid-looking input: resource ids from a small alphabet, 1–6 cache nodes, any replica counts validation allows. */
const inputs: fc.Arbitrary<DashboardInput> = fc
    .record({
        region: fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-2"),
        service: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
        id: fc.stringMatching(/^[a-z0-9]{1,12}$/),
        nodes: fc.integer({ min: 1, max: 6 }),
        replicas: fc.integer({ min: 1, max: 1000 }),
        extra: fc.integer({ min: 0, max: 1000 }),
        peak: fc.integer({ min: 1, max: 262143 }),
        max: fc.integer({ min: 1, max: 262143 }),
        pool: fc.integer({ min: 1, max: 1000 }),
    })
    .map(({ region, service, id, nodes, replicas, extra, peak, max, pool }) => ({
        region,
        service,
        albArnSuffix: `app/${service}-alb/${id}`,
        targetGroupArnSuffix: `targetgroup/${service}-tg/${id}`,
        clusterName: `${service}-cluster-${id}`,
        serviceName: `${service}-svc-${id}`,
        dbInstanceId: `${service}-db-${id}`,
        cacheClusterIds: Array.from({ length: nodes }, (_, i) => `${service}-rg-00${i + 1}`),
        replicas,
        maxReplicas: replicas + extra,
        peakConnections: peak,
        dbMaxConnections: max,
        poolPerTask: pool,
    }));

describe("dashboard body (lib/dashboard)", () => {
    it("for the prod-like sample: exactly these 15 widgets, titles, metrics, stats, lines and axes, three 8 × 6 tiles per row", () => {
        assert.deepStrictEqual(dashboardBody(SAMPLE), EXPECTED);
    });

    it("a stack without autoscaling and one cache node: one replicas line, one line per Redis graph, its own region, names and budget", () => {
        const body = dashboardBody({
            ...SAMPLE,
            region: "eu-central-1",
            service: "webfleet-dev",
            replicas: 2,
            maxReplicas: 2,
            cacheClusterIds: ["webfleet-dev-cache-rg-001"],
            peakConnections: 50,
            dbMaxConnections: 85,
            poolPerTask: 10,
        });
        assert.deepStrictEqual(body.widgets.map((w) => w.properties.region), Array(15).fill("eu-central-1"));
        assert.deepStrictEqual(widget(body, "Healthy tasks").properties.annotations, { horizontal: [{ label: "replicas 2", value: 2 }] });
        assert.deepStrictEqual(widget(body, "PostgreSQL connections").properties.annotations, {
            horizontal: [
                { label: "plan peak 50", value: 50, color: "#ff7f0e" },
                { label: "max_connections 85", value: 85, color: "#d62728" },
            ],
        });
        assert.deepStrictEqual(widget(body, "PostgreSQL connections").properties.metrics[1], ["Webfleet/Gateway", "PoolOpen", "Service", "webfleet-dev", { stat: "Sum", label: "open in the fleet's pools (EMF)" }]);
        assert.deepStrictEqual(widget(body, "Pool per task").properties.annotations, { horizontal: [{ label: "DB_POOL_MAX 10", value: 10, color: "#d62728" }] });
        assert.deepStrictEqual(widget(body, "Latency p99 per task").properties.metrics, [
            [{ expression: `SEARCH('{Webfleet/Gateway,Service,Task} MetricName="LatencyP99" Service="webfleet-dev"', 'Maximum', 60)`, id: "p99task", label: "" }],
        ]);
        assert.deepStrictEqual(widget(body, "Redis engine CPU").properties.metrics, [["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", "webfleet-dev-cache-rg-001", { stat: "Average", label: "webfleet-dev-cache-rg-001" }]]);
        assert.deepStrictEqual(widget(body, "Redis memory").properties.metrics, [["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", "webfleet-dev-cache-rg-001", { stat: "Maximum", label: "webfleet-dev-cache-rg-001" }]]);
        assert.deepStrictEqual(widget(body, "Redis evictions").properties.metrics, [["AWS/ElastiCache", "Evictions", "CacheClusterId", "webfleet-dev-cache-rg-001", { stat: "Sum", label: "webfleet-dev-cache-rg-001" }]]);
    });

    it("draws the maxReplicas line from one above replicas (3 for 2), not at replicas", () => {
        assert.deepStrictEqual(widget(dashboardBody({ ...SAMPLE, replicas: 2, maxReplicas: 3 }), "Healthy tasks").properties.annotations?.horizontal, [
            { label: "replicas 2", value: 2 },
            { label: "maxReplicas 3", value: 3 },
        ]);
        assert.deepStrictEqual(widget(dashboardBody({ ...SAMPLE, replicas: 3, maxReplicas: 3 }), "Healthy tasks").properties.annotations?.horizontal, [{ label: "replicas 3", value: 3 }]);
    });

    it("property: for any stack the layout is the sample's, 15 tiles filling the 24-column grid 30 rows deep, no overlaps", () => {
        assert.strictEqual(GRID_COLUMNS, 24);
        const place = (b: DashboardBody): string[] => b.widgets.map((w) => `${w.properties.title} at ${w.x},${w.y} ${w.width}×${w.height}`);
        fc.assert(
            fc.property(inputs, (input) => {
                const b = dashboardBody(input);
                assert.deepStrictEqual(place(b), place(EXPECTED));
                const cells = new Set<string>();
                b.widgets.forEach((w, i) => {
                    assert.ok(w.x >= 0 && w.x + w.width <= GRID_COLUMNS, `widget ${i} leaves the ${GRID_COLUMNS}-column grid`);
                    for (let x = w.x; x < w.x + w.width; x++) {
                        for (let y = w.y; y < w.y + w.height; y++) {
                            assert.ok(!cells.has(`${x},${y}`), `widget ${i} overlaps another at ${x},${y}`);
                            cells.add(`${x},${y}`);
                        }
                    }
                });
                assert.strictEqual(cells.size, GRID_COLUMNS * 30, "the tiles leave no gap");
            }),
            { numRuns: propertyRuns(300) },
        );
    });

    it("property: every widget is a one-minute time series in the stack's region, ids are unique and start with a lower-case letter, and the lines the budget draws are the input's", () => {
        fc.assert(
            fc.property(inputs, (input) => {
                const b = dashboardBody(input);
                for (const w of b.widgets) {
                    assert.strictEqual(w.type, "metric");
                    assert.deepStrictEqual([w.properties.region, w.properties.view, w.properties.stacked, w.properties.period], [input.region, "timeSeries", false, 60]);
                    const own = ids(w);
                    assert.strictEqual(new Set(own).size, own.length, `${w.properties.title}: duplicate ids ${own.join()}`);
                    for (const id of own) assert.match(id, /^[a-z][a-zA-Z0-9_]*$/);
                    // CloudWatch reads a line's options from its last element.
                    for (const line of w.properties.metrics) assert.strictEqual(typeof line[line.length - 1], "object", `${w.properties.title}: ${JSON.stringify(line)}`);
                }
                const values = (title: string): number[] => widget(b, title).properties.annotations?.horizontal.map((a) => a.value) ?? [];
                assert.deepStrictEqual(values("Healthy tasks"), input.maxReplicas > input.replicas ? [input.replicas, input.maxReplicas] : [input.replicas]);
                assert.deepStrictEqual(values("PostgreSQL connections"), [input.peakConnections, input.dbMaxConnections]);
                assert.deepStrictEqual(values("Pool per task"), [input.poolPerTask]);
                for (const title of ["Redis engine CPU", "Redis memory", "Redis evictions"]) {
                    assert.deepStrictEqual(widget(b, title).properties.metrics.map((l) => l[3]), input.cacheClusterIds, title);
                }
            }),
            { numRuns: propertyRuns(200) },
        );
    });

    it("asks only for gateway metrics the app emits, under its namespace, dimensions and Service value", () => {
        const refs = dashboardRefs(dashboardBody(SAMPLE));
        const ours = refs.metrics.filter((m) => m.namespace === METRIC_NAMESPACE);
        assert.strictEqual(ours.length, 4);
        assert.strictEqual(refs.searches.length, 6);
        for (const m of ours) {
            assert.ok(EMITTED_METRIC_NAMES.includes(m.metricName), m.metricName);
            assert.deepStrictEqual(m.dimensions, { [METRIC_DIMENSIONS.service]: SAMPLE.service });
        }
        for (const s of refs.searches) {
            assert.strictEqual(s.namespace, METRIC_NAMESPACE);
            assert.ok(EMITTED_METRIC_NAMES.includes(s.metricName), s.metricName);
            assert.strictEqual(s.dimensionKeys[0], METRIC_DIMENSIONS.service);
            assert.deepStrictEqual(s.filters, { [METRIC_DIMENSIONS.service]: SAMPLE.service });
        }
        assert.ok(refs.searches.some((s) => s.metricName === TASK_METRICS.requests && s.dimensionKeys.includes(METRIC_DIMENSIONS.task)));
        assert.deepStrictEqual(refs.expressions, ["100 * hits / (hits + misses)"]);
    });

    it("links to the console, and alarms on storage below 5 % (at least 1 GiB)", () => {
        assert.strictEqual(dashboardUrl("eu-west-1", "webfleet-prod"), "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=webfleet-prod");
        assert.strictEqual(dashboardUrl("us-east-1", "a b/c"), "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=a%20b%2Fc");
        assert.strictEqual(freeStorageAlarmBytes(20), 1024 ** 3);
        assert.strictEqual(freeStorageAlarmBytes(21), 1_127_428_915);
        assert.strictEqual(freeStorageAlarmBytes(100), 5 * 1024 ** 3);
        assert.strictEqual(freeStorageAlarmBytes(65536), 3_518_437_208_883);
        fc.assert(fc.property(fc.integer({ min: 20, max: 65536 }), (gb) => freeStorageAlarmBytes(gb) >= 1024 ** 3 && freeStorageAlarmBytes(gb) <= gb * 1024 ** 3 * 0.1));
    });
});

describe("dashboard references (lib/dashboard dashboardRefs)", () => {
    it("lists every metric with its dimensions, every SEARCH with its schema and filters, and other expressions, for the sample", () => {
        const refs = dashboardRefs(dashboardBody(SAMPLE));
        const alb = { LoadBalancer: "app/webfleet-prod-web-alb/0123456789abcdef" };
        const tg = { TargetGroup: "targetgroup/webfleet-prod-web-tg/0123456789abcdef", ...alb };
        const ecs = { ClusterName: "webfleet-prod-web-cluster-abc1234", ServiceName: "webfleet-prod-web-svc-abc1234" };
        const rds = { DBInstanceIdentifier: "webfleet-prod-db-pg" };
        const gw = { Service: "webfleet-prod" };
        const m = (namespace: string, metricName: string, dimensions: Record<string, string>): object => ({ namespace, metricName, dimensions });
        assert.deepStrictEqual(refs.metrics, [
            m("AWS/ApplicationELB", "RequestCount", alb),
            m("AWS/ApplicationELB", "TargetResponseTime", alb),
            m("AWS/ApplicationELB", "TargetResponseTime", alb),
            m("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb),
            m("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tg),
            m("AWS/ApplicationELB", "HealthyHostCount", tg),
            m("ECS/ContainerInsights", "RunningTaskCount", ecs),
            m("Webfleet/Gateway", "CacheHits", gw),
            m("Webfleet/Gateway", "CacheMisses", gw),
            m("Webfleet/Gateway", "CacheBypasses", gw),
            m("AWS/ECS", "CPUUtilization", ecs),
            m("AWS/ECS", "MemoryUtilization", ecs),
            m("AWS/RDS", "DatabaseConnections", rds),
            m("Webfleet/Gateway", "PoolOpen", gw),
            m("AWS/RDS", "CPUUtilization", rds),
            m("AWS/RDS", "FreeStorageSpace", rds),
            ...["EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions"].flatMap((name) => [NODE1, NODE2].map((node) => m("AWS/ElastiCache", name, { CacheClusterId: node }))),
        ]);
        const s = (dimensionKeys: string[], metricName: string): object => ({ namespace: "Webfleet/Gateway", dimensionKeys, metricName, filters: gw });
        assert.deepStrictEqual(refs.searches, [
            s(["Service", "Task"], "Requests"),
            s(["Service", "Task"], "LatencyP99"),
            s(["Service", "UpstreamHost"], "UpstreamErrors"),
            s(["Service", "UpstreamHost"], "UpstreamTimeouts"),
            s(["Service", "Task"], "PoolInUse"),
            s(["Service", "Task"], "PoolWaiting"),
        ]);
        assert.deepStrictEqual(refs.expressions, ["100 * hits / (hits + misses)"]);
    });

    /** A one-widget body with these lines. */
    const body = (...metrics: MetricLine[]): DashboardBody => ({ widgets: [{ ...EXPECTED.widgets[0], properties: { ...EXPECTED.widgets[0].properties, metrics } }] });

    it("reads SEARCH as CloudWatch writes it: any spacing, spaces in the schema, no MetricName (free text), no rendering options", () => {
        const refs = dashboardRefs(
            body(
                [{ expression: `SEARCH('{AWS/EC2, InstanceId }   MetricName="CPUUtilization" InstanceType="t3.micro"','Average',300)`, id: "a" }],
                [{ expression: `SEARCH('{AWS/Lambda,FunctionName}\tErrors', 'Sum',   60)`, id: "b" }],
                ["AWS/SQS", "NumberOfMessagesSent", "QueueName", "jobs"],
                ["AWS/SQS", "ApproximateAgeOfOldestMessage"],
            ),
        );
        assert.deepStrictEqual(refs.searches, [
            { namespace: "AWS/EC2", dimensionKeys: ["InstanceId"], metricName: "CPUUtilization", filters: { InstanceType: "t3.micro" } },
            { namespace: "AWS/Lambda", dimensionKeys: ["FunctionName"], metricName: "", filters: {} },
        ]);
        assert.deepStrictEqual(refs.metrics, [
            { namespace: "AWS/SQS", metricName: "NumberOfMessagesSent", dimensions: { QueueName: "jobs" } },
            { namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", dimensions: {} },
        ]);
        assert.deepStrictEqual(refs.expressions, []);
    });

    it("refuses a metric line with a dimension name but no value, naming the widget, metric and dimension", () => {
        const tg = ["TargetGroup", "targetgroup/webfleet-prod-web-tg/0123456789abcdef"];
        assert.throws(() => dashboardRefs(body(["AWS/ApplicationELB", "HealthyHostCount", ...tg, "LoadBalancer", {}])), {
            message: "Fleet requests per minute (ALB): AWS/ApplicationELB HealthyHostCount names the dimension LoadBalancer without a value",
        });
        assert.throws(() => dashboardRefs(body(["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier"])), {
            message: "Fleet requests per minute (ALB): AWS/RDS CPUUtilization names the dimension DBInstanceIdentifier without a value",
        });
    });

    it("counts only a whole SEARCH(…) as a search: math around one, before it or after it, is an expression", () => {
        const search = `SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Average', 300)`;
        const math = [`SUM(${search})`, `100 * ${search}`, `${search} * 100`, "a + b"];
        const refs = dashboardRefs(body(...math.map((expression, i) => [{ expression, id: `e${i}` }])));
        assert.deepStrictEqual(refs, { metrics: [], searches: [], expressions: math });
    });
});
