import * as assert from "assert";
import * as fc from "fast-check";
import { CostItem, estimateCost, formatDelta } from "../../lib/cost";
import { HOURS_PER_MONTH, PRICES, pricesFor } from "../../lib/prices";

/** The billable items of Pulumi.prod.yaml as the program builds them (checked end to end in test/tools/plan/plan-cli.test.ts). */
const PROD: CostItem[] = [
    { kind: "fargate", component: "WebService", cpuUnits: 1024, memoryMiB: 2048, arch: "X86_64", tasks: 4, maxTasks: 8 },
    { kind: "alb", component: "WebService" },
    { kind: "publicIpv4", component: "WebService", count: 3, what: "one per ALB subnet" },
    { kind: "logs", component: "WebService", retentionDays: 90 },
    ...[0, 1, 2].map((): CostItem => ({ kind: "nat", component: "Network" })),
    ...[0, 1, 2].map((): CostItem => ({ kind: "publicIpv4", component: "Network", count: 1, what: "NAT gateway Elastic IP" })),
    { kind: "rds", component: "Database", instanceClass: "db.t4g.medium", multiAz: true, storageGb: 20 },
    { kind: "secret", component: "Database" },
    { kind: "cache", component: "Cache", nodeType: "cache.t4g.small", nodes: 2, engine: "redis" },
    { kind: "secret", component: "Cache" },
    { kind: "ecr", component: "WebImage" },
    ...[0, 1, 2, 3].map((): CostItem => ({ kind: "alarm", component: "Alarms" })),
];

describe("cost estimate (lib/cost, lib/prices)", () => {
    it("prices prod in us-east-1 as worked out by hand", () => {
        // Hand arithmetic, us-east-1 on-demand, 730 h/month:
        //   Fargate  4 × (1 × 0.04048 + 2 × 0.004445) × 730 = 4 × 36.0401      = 144.16 (8 tasks: 288.32)
        //   ALB      0.0225 × 730 + 1 LCU × 0.008 × 730 = 16.425 + 5.84         =  22.27 (22.265)
        //   IPv4     3 ALB subnets × 0.005 × 730                                 =  10.95
        //   Logs     5 GB × 0.50 + (5 × 90 / 30 = 15 GB) × 0.03 = 2.50 + 0.45    =   2.95
        //   NAT      3 × (0.045 × 730 + 100 GB × 0.045) = 3 × (32.85 + 4.50)     = 112.05
        //   EIPs     3 × 0.005 × 730                                             =  10.95
        //   RDS      0.065 × 730 × 2 + 20 GB × 0.115 × 2 = 94.90 + 4.60          =  99.50
        //   Redis    2 × 0.032 × 730                                             =  46.72
        //   Secrets  2 × 0.40 = 0.80; ECR 1 GB × 0.10 = 0.10; alarms 4 × 0.10 = 0.40
        const hand = 144.16 + 22.265 + 10.95 + 2.95 + 112.05 + 10.95 + 99.5 + 46.72 + 0.8 + 0.1 + 0.4;
        const cost = estimateCost("us-east-1", PROD);
        assert.ok(Math.abs(cost.total - hand) < 0.02, `${cost.total} vs ${hand}`);
        assert.ok(Math.abs(cost.totalMax - (hand + 144.16)) < 0.02, `${cost.totalMax}`);
        assert.strictEqual(cost.fallback, undefined);
        const web = cost.byComponent.find((c) => c.component === "WebService");
        assert.ok(web !== undefined && Math.abs(web.monthly - (144.16 + 22.265 + 10.95 + 2.95)) < 0.02);
    });

    it("prints every assumption next to its figure", () => {
        const lines = estimateCost("us-east-1", PROD).lines;
        for (const item of ["Application Load Balancer", "NAT gateway × 3", "CloudWatch Logs", "ECR storage"]) {
            const line = lines.find((l) => l.item === item);
            assert.ok(line?.assumption, `${item} states its usage assumption`);
        }
        assert.match(lines.find((l) => l.item === "Fargate tasks")?.formula ?? "", /4 tasks × \(1 vCPU × \$0\.04048 \+ 2 GB × \$0\.004445\) × 730 h \(X86_64\); up to 8 tasks/);
    });

    it("ARM64 tasks cost less than X86_64, Multi-AZ doubles the database, valkey costs less than redis", () => {
        const one = (item: CostItem): number => estimateCost("us-east-1", [item]).total;
        const task = { kind: "fargate", component: "w", cpuUnits: 1024, memoryMiB: 2048, tasks: 1, maxTasks: 1 } as const;
        assert.ok(one({ ...task, arch: "ARM64" }) < one({ ...task, arch: "X86_64" }));
        const db = { kind: "rds", component: "d", instanceClass: "db.t4g.small", storageGb: 20 } as const;
        assert.ok(Math.abs(one({ ...db, multiAz: true }) - 2 * one({ ...db, multiAz: false })) < 0.011);
        const cache = { kind: "cache", component: "c", nodeType: "cache.t4g.small", nodes: 2 } as const;
        assert.ok(one({ ...cache, engine: "valkey" }) < one({ ...cache, engine: "redis" }));
    });

    it("falls back loudly for a region without price data, and never hides an unpriced class", () => {
        const cost = estimateCost("eu-west-1", PROD);
        assert.match(cost.fallback ?? "", /NO PRICE DATA FOR eu-west-1: figures use us-east-1 prices/);
        const unknown = estimateCost("us-east-1", [{ kind: "rds", component: "d", instanceClass: "db.x9.huge", multiAz: false, storageGb: 20 }]);
        assert.match(unknown.lines[0].warning ?? "", /no price data for db\.x9\.huge: the instance is NOT in this total/);
    });

    it("property: the cost of tasks grows linearly with replicas", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 200 }), (n) => {
                const perTask = (1 * PRICES["us-east-1"].fargate.X86_64.vcpuHour.usd + 2 * PRICES["us-east-1"].fargate.X86_64.gbHour.usd) * HOURS_PER_MONTH;
                const cost = estimateCost("us-east-1", [{ kind: "fargate", component: "w", cpuUnits: 1024, memoryMiB: 2048, arch: "X86_64", tasks: n, maxTasks: n }]);
                assert.ok(Math.abs(cost.total - n * perTask) < 0.006);
            }),
        );
    });

    it("every price has a unit, a source and a date; the change reads +$/month", () => {
        for (const [region, prices] of Object.entries(PRICES)) {
            const all = [prices.albHour, prices.albLcuHour, prices.natHour, prices.natGb, prices.secretMonth, ...Object.values(prices.rdsPostgresHour), ...Object.values(prices.cacheRedisHour)];
            for (const p of all) {
                assert.ok(p.usd > 0 && p.unit && /^https:\/\//.test(p.source) && /^\d{4}-\d{2}$/.test(p.asOf), `${region} ${JSON.stringify(p)}`);
            }
        }
        assert.strictEqual(pricesFor("us-east-1").fallback, undefined);
        assert.strictEqual(formatDelta(61.3249), "+$61.32/month");
        assert.strictEqual(formatDelta(-12), "-$12.00/month");
        assert.strictEqual(formatDelta(0), "±$0.00/month");
    });
});
