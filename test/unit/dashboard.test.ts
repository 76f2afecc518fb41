import * as assert from "assert";
import * as fc from "fast-check";
import { EMITTED_METRIC_NAMES, METRIC_DIMENSIONS, METRIC_NAMESPACE, TASK_METRICS } from "../../app/lib/metric-names";
import { dashboardBody, DashboardInput, dashboardRefs, dashboardUrl, freeStorageAlarmBytes, GRID_COLUMNS } from "../../lib/dashboard";

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

describe("dashboard body (lib/dashboard)", () => {
    const body = dashboardBody(SAMPLE);
    const refs = dashboardRefs(body);

    it("has the widgets the issue lists", () => {
        const titles = body.widgets.map((w) => w.properties.title.toLowerCase());
        for (const needle of ["requests per minute (alb)", "p95 / p99", "5xx", "healthy tasks", "requests per task", "latency p99 per task", "cache hit ratio", "pool per task", "postgresql connections", "redis engine cpu", "redis memory", "redis evictions", "rds cpu % and free storage", "task cpu and memory"]) {
            assert.ok(titles.some((t) => t.includes(needle)), `no widget for ${needle}`);
        }
    });

    it("draws the budget as horizontal lines: the plan's peak and max_connections; replicas and maxReplicas on the task count", () => {
        const db = body.widgets.find((w) => w.properties.title.startsWith("PostgreSQL connections"));
        assert.deepStrictEqual(db?.properties.annotations?.horizontal.map((a) => a.value), [394, 410]);
        const tasks = body.widgets.find((w) => w.properties.title.startsWith("Healthy tasks"));
        assert.deepStrictEqual(tasks?.properties.annotations?.horizontal.map((a) => a.value), [4, 8]);
        const fixed = dashboardBody({ ...SAMPLE, maxReplicas: 4 }).widgets.find((w) => w.properties.title.startsWith("Healthy tasks"));
        assert.deepStrictEqual(fixed?.properties.annotations?.horizontal.map((a) => a.value), [4], "no maxReplicas line without autoscaling");
    });

    it("asks only for gateway metrics the app emits, under its namespace, dimensions and Service value", () => {
        const ours = refs.metrics.filter((m) => m.namespace === METRIC_NAMESPACE);
        assert.ok(ours.length > 0 && refs.searches.length > 0);
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

    it("property: any grid of inputs gives non-overlapping widgets inside 24 columns, and ids unique per widget", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 3 }), (replicas, extra, nodes) => {
                const b = dashboardBody({ ...SAMPLE, replicas, maxReplicas: replicas + extra, cacheClusterIds: SAMPLE.cacheClusterIds.slice(0, nodes) });
                const cells = new Set<string>();
                for (const w of b.widgets) {
                    if (w.x < 0 || w.x + w.width > GRID_COLUMNS) return false;
                    for (let x = w.x; x < w.x + w.width; x++) for (let y = w.y; y < w.y + w.height; y++) {
                        const key = `${x},${y}`;
                        if (cells.has(key)) return false;
                        cells.add(key);
                    }
                    const ids = w.properties.metrics.flatMap((l) => l.flatMap((p) => (typeof p === "object" && typeof p["id"] === "string" ? [p["id"]] : [])));
                    if (new Set(ids).size !== ids.length) return false;
                }
                return true;
            }),
        );
    });

    it("links to the console, and alarms on storage below 5 % (at least 1 GiB)", () => {
        assert.strictEqual(dashboardUrl("eu-west-1", "webfleet-prod"), "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=webfleet-prod");
        assert.strictEqual(freeStorageAlarmBytes(20), 1024 ** 3);
        assert.strictEqual(freeStorageAlarmBytes(100), 5 * 1024 ** 3);
        fc.assert(fc.property(fc.integer({ min: 20, max: 65536 }), (gb) => freeStorageAlarmBytes(gb) >= 1024 ** 3 && freeStorageAlarmBytes(gb) <= gb * 1024 ** 3 * 0.1));
    });
});
