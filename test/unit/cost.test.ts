import * as assert from "assert";
import * as fc from "fast-check";
import { CostItem, estimateCost, formatDelta, formatUsd } from "../../lib/cost";
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

describe("each cost line as a reviewer reads it (lib/cost)", () => {
    const line = (item: CostItem) => {
        const cost = estimateCost("us-east-1", [item]);
        assert.strictEqual(cost.lines.length, 1);
        return cost.lines[0];
    };
    const near = (actual: number | undefined, expected: number): void => assert.ok(actual !== undefined && Math.abs(actual - expected) < 0.006, `${actual} vs ${expected}`);

    it("Fargate: one quarter-vCPU ARM task, by hand (0.25 × 0.03238 + 0.5 × 0.00356) × 730 = 7.21, no ceiling when it equals replicas", () => {
        const l = line({ kind: "fargate", component: "w", cpuUnits: 256, memoryMiB: 512, arch: "ARM64", tasks: 1, maxTasks: 1 });
        assert.deepStrictEqual([l.component, l.item, l.formula], ["w", "Fargate tasks", "1 task × (0.25 vCPU × $0.03238 + 0.5 GB × $0.00356) × 730 h (ARM64)"]);
        near(l.monthly, 7.21);
        assert.ok(!("monthlyMax" in l), "no range without autoscaling");
        assert.strictEqual(l.warning, undefined, "Fargate prices are confirmed");
    });

    it("load balancer, NAT gateway and public IPv4: the figure, its arithmetic, the usage assumed and the unconfirmed prices", () => {
        const alb = line({ kind: "alb", component: "w" });
        assert.strictEqual(alb.item, "Application Load Balancer");
        assert.strictEqual(alb.formula, "$0.0225 × 730 h + 1 LCU × $0.008 × 730 h");
        assert.strictEqual(alb.assumption, "1 LCU on average (1 LCU ≈ 25 new connections/s or 1 GB/h); heavy traffic costs more");
        assert.strictEqual(alb.warning, "price not confirmed at source: $0.0225/ALB-hour, $0.008/LCU-hour");
        near(alb.monthly, 16.425 + 5.84);
        const nat = line({ kind: "nat", component: "n" });
        assert.strictEqual(nat.item, "NAT gateway");
        assert.strictEqual(nat.formula, "$0.045 × 730 h + 100 GB × $0.045");
        assert.strictEqual(nat.assumption, "100 GB/month processed (upstream RPC calls, image pulls); at 2,000 req/s × 1 KB that is ~5,200 GB ≈ $234.00 more");
        assert.strictEqual(nat.warning, "price not confirmed at source: $0.045/NAT gateway-hour, $0.045/GB processed");
        near(nat.monthly, 32.85 + 4.5);
        const ip = line({ kind: "publicIpv4", component: "n", count: 3, what: "one per ALB subnet" });
        assert.deepStrictEqual([ip.item, ip.formula, ip.warning], ["public IPv4 (one per ALB subnet)", "3 × $0.005 × 730 h", "price not confirmed at source: $0.005/public IPv4 address-hour"]);
        near(ip.monthly, 10.95);
    });

    it("RDS: Single-AZ and Multi-AZ (instance and storage twice), an unconfirmed class, an unpriced class counted as storage only", () => {
        const single = line({ kind: "rds", component: "d", instanceClass: "db.t4g.medium", multiAz: false, storageGb: 20 });
        assert.deepStrictEqual([single.item, single.formula, single.warning], ["RDS PostgreSQL db.t4g.medium", "$0.065 × 730 h + 20 GB gp3 × $0.115", undefined]);
        assert.match(single.assumption ?? "", /^allocated storage only/);
        near(single.monthly, 47.45 + 2.3);
        const multi = line({ kind: "rds", component: "d", instanceClass: "db.t4g.medium", multiAz: true, storageGb: 20 });
        assert.deepStrictEqual(
            [multi.item, multi.formula],
            ["RDS PostgreSQL db.t4g.medium Multi-AZ", "$0.065 × 730 h × 2 (Multi-AZ standby) + 20 GB gp3 × $0.115 × 2 (Multi-AZ standby)"],
        );
        near(multi.monthly, 94.9 + 4.6);
        assert.strictEqual(line({ kind: "rds", component: "d", instanceClass: "db.t4g.large", multiAz: false, storageGb: 20 }).warning, "price not confirmed at source: $0.129/instance-hour");
        const unknown = line({ kind: "rds", component: "d", instanceClass: "db.x9.huge", multiAz: true, storageGb: 100 });
        assert.deepStrictEqual(
            [unknown.item, unknown.formula, unknown.warning],
            ["RDS db.x9.huge", "instance: no price for db.x9.huge in lib/prices.ts (counted as $0); storage 100 GB × $0.115 × 2 (Multi-AZ standby)", "no price data for db.x9.huge: the instance is NOT in this total"],
        );
        near(unknown.monthly, 23);
    });

    it("ElastiCache: redis per node, valkey at 0.8 × the redis price, an unpriced node type counted as $0", () => {
        const redis = line({ kind: "cache", component: "c", nodeType: "cache.t4g.small", nodes: 1, engine: "redis" });
        assert.deepStrictEqual([redis.item, redis.formula, redis.warning], ["ElastiCache redis cache.t4g.small", "1 node × $0.032 × 730 h", "price not confirmed at source: $0.032/node-hour"]);
        near(redis.monthly, 23.36);
        const valkey = line({ kind: "cache", component: "c", nodeType: "cache.t4g.small", nodes: 2, engine: "valkey" });
        assert.deepStrictEqual(
            [valkey.item, valkey.formula, valkey.warning],
            ["ElastiCache valkey cache.t4g.small", "2 nodes × $0.032 × 0.8 (valkey) × 730 h", "price not confirmed at source: $0.032/node-hour, $0.8/× the Redis OSS node price"],
        );
        near(valkey.monthly, 2 * 0.032 * 0.8 * 730);
        const unknown = line({ kind: "cache", component: "c", nodeType: "cache.x9.huge", nodes: 2, engine: "redis" });
        assert.deepStrictEqual(
            [unknown.item, unknown.monthly, unknown.formula, unknown.warning],
            ["ElastiCache cache.x9.huge", 0, "no price for cache.x9.huge in lib/prices.ts (counted as $0)", "no price data for cache.x9.huge: the cache is NOT in this total"],
        );
    });

    it("secrets, logs (never-expiring groups counted as 10 years), ECR and alarms", () => {
        const secret = line({ kind: "secret", component: "d" });
        assert.deepStrictEqual([secret.item, secret.monthly, secret.formula, secret.warning], ["Secrets Manager secret", 0.4, "$0.4/month (API calls extra)", "price not confirmed at source: $0.4/secret-month"]);
        const logs = line({ kind: "logs", component: "w", retentionDays: 90 });
        assert.deepStrictEqual(
            [logs.item, logs.formula, logs.assumption, logs.warning],
            ["CloudWatch Logs", "5 GB × $0.5 ingest + 15 GB kept (90 days) × $0.03", "5 GB of logs per month", "price not confirmed at source: $0.5/GB ingested, $0.03/GB-month stored"],
        );
        near(logs.monthly, 2.95);
        // 3653 days, CloudWatch's longest retention and what a group without one is counted as: 5 × 3653 / 30 GB kept.
        const decade = line({ kind: "logs", component: "w", retentionDays: 3653 });
        assert.strictEqual(decade.formula, "5 GB × $0.5 ingest + 608.83 GB kept (3653 days) × $0.03");
        near(decade.monthly, 2.5 + ((5 * 3653) / 30) * 0.03);
        const ecr = line({ kind: "ecr", component: "i" });
        assert.deepStrictEqual([ecr.item, ecr.monthly, ecr.formula, ecr.assumption, ecr.warning], ["ECR storage", 0.1, "1 GB × $0.1", "1 GB of images kept", "price not confirmed at source: $0.1/GB-month"]);
        const alarm = line({ kind: "alarm", component: "a" });
        assert.deepStrictEqual([alarm.item, alarm.monthly, alarm.formula, alarm.warning], ["CloudWatch alarm", 0.1, "$0.1/month", "price not confirmed at source: $0.1/standard alarm-month"]);
    });

    it("usage assumptions passed in drive the usage-based figures", () => {
        const usage = { albLcu: 3, natGbPerGateway: 1000, logsGbPerGroup: 10, ecrGbPerRepo: 4 };
        const lines = estimateCost("us-east-1", [{ kind: "alb", component: "w" }, { kind: "nat", component: "n" }, { kind: "logs", component: "w", retentionDays: 30 }, { kind: "ecr", component: "i" }], usage).lines;
        assert.deepStrictEqual(
            lines.map((l) => l.formula),
            ["$0.0225 × 730 h + 3 LCU × $0.008 × 730 h", "$0.045 × 730 h + 1000 GB × $0.045", "10 GB × $0.5 ingest + 10 GB kept (30 days) × $0.03", "4 GB × $0.1"],
        );
        near(lines[0].monthly, 16.425 + 3 * 5.84);
        near(lines[1].monthly, 32.85 + 45);
        near(lines[2].monthly, 5 + 0.3);
        near(lines[3].monthly, 0.4);
    });

    it("merges identical lines of one component, keeps the ceiling when any has one, and sums per component and in total", () => {
        const task = { kind: "fargate", component: "w", cpuUnits: 1024, memoryMiB: 2048, arch: "X86_64" } as const;
        const cost = estimateCost("us-east-1", [
            { kind: "alarm", component: "a" },
            { kind: "alarm", component: "a" },
            { kind: "alarm", component: "b" },
            { ...task, tasks: 2, maxTasks: 4 },
            { ...task, tasks: 2, maxTasks: 4 },
            { ...task, tasks: 1, maxTasks: 1 },
        ]);
        const perTask = (0.04048 + 2 * 0.004445) * 730;
        assert.deepStrictEqual(
            cost.lines.map((l) => [l.component, l.item, l.formula]),
            [
                ["a", "CloudWatch alarm × 2", "2 × ($0.1/month)"],
                ["b", "CloudWatch alarm", "$0.1/month"],
                ["w", "Fargate tasks × 2", "2 × (2 tasks × (1 vCPU × $0.04048 + 2 GB × $0.004445) × 730 h (X86_64); up to 4 tasks at the autoscaling ceiling)"],
                ["w", "Fargate tasks", "1 task × (1 vCPU × $0.04048 + 2 GB × $0.004445) × 730 h (X86_64)"],
            ],
        );
        near(cost.lines[0].monthly, 0.2);
        near(cost.lines[2].monthly, 4 * perTask);
        near(cost.lines[2].monthlyMax, 8 * perTask);
        assert.strictEqual(cost.lines[3].monthlyMax, undefined);
        assert.deepStrictEqual(cost.byComponent.map((c) => c.component), ["a", "b", "w"]);
        near(cost.byComponent[2].monthly, 5 * perTask);
        near(cost.byComponent[2].monthlyMax, 9 * perTask);
        near(cost.byComponent[0].monthlyMax, 0.2);
        near(cost.total, 0.3 + 5 * perTask);
        near(cost.totalMax, 0.3 + 9 * perTask);
        assert.deepStrictEqual([cost.region, cost.priceRegion, "fallback" in cost], ["us-east-1", "us-east-1", false]);
        // Lines without a ceiling merge into one without.
        const mixed = estimateCost("us-east-1", [{ ...task, tasks: 1, maxTasks: 1 }, { ...task, tasks: 1, maxTasks: 1 }]).lines[0];
        assert.strictEqual(mixed.monthlyMax, undefined);
    });

    it("a region without prices is estimated at us-east-1's and says so, with the region asked for", () => {
        const cost = estimateCost("eu-west-1", [{ kind: "alarm", component: "a" }]);
        assert.deepStrictEqual([cost.region, cost.priceRegion], ["eu-west-1", "us-east-1"]);
        assert.strictEqual(cost.fallback, "NO PRICE DATA FOR eu-west-1: figures use us-east-1 prices (lib/prices.ts has us-east-1); eu-west-1 is usually dearer");
    });

    it("formats money with cents and the change with its sign", () => {
        assert.strictEqual(formatUsd(1.5), "$1.50");
        assert.strictEqual(formatUsd(1234.567), "$1234.57");
        assert.strictEqual(formatDelta(0.004), "±$0.00/month");
        assert.strictEqual(formatDelta(-0.004), "±$0.00/month");
        assert.strictEqual(formatDelta(0.005), "+$0.01/month");
        assert.strictEqual(formatDelta(-0.5), "-$0.50/month");
    });
});
