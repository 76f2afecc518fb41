/**
 * The price table (lib/prices.ts) is data typed in by hand from AWS's price pages. These
 * checks catch the typos a reviewer would not: a price without unit or source, a
 * Graviton discount that is not AWS's 20 %, or a size step in a family that is not about
 * twice the size below it.
 */
import * as assert from "assert";
import { Price, PRICES, pricesFor } from "../../lib/prices";

function isPrice(v: unknown): v is Price {
    return typeof v === "object" && v !== null && "usd" in v && "unit" in v;
}

/** Every Price in a region's table, with its path (e.g. `fargate.ARM64.gbHour`). */
function allPrices(value: unknown, at = ""): Array<[string, Price]> {
    if (isPrice(value)) return [[at, value]];
    if (typeof value !== "object" || value === null) return [];
    return Object.entries(value).flatMap(([k, v]) => allPrices(v, at ? `${at}.${k}` : k));
}

const us = PRICES["us-east-1"];

describe("price table (lib/prices)", () => {
    it("every price, in every region, has a positive figure, a unit, an https source and the month it was read", () => {
        for (const [region, prices] of Object.entries(PRICES)) {
            const all = allPrices(prices);
            assert.ok(all.length >= 25, `${region}: ${all.length} prices`);
            for (const [at, p] of all) {
                assert.ok(p.usd > 0 && p.usd < 1, `${region} ${at}: ${p.usd} (hourly and monthly rates and the valkey factor are all below $1)`);
                assert.ok(p.unit.length > 3, `${region} ${at}: unit ${JSON.stringify(p.unit)}`);
                assert.match(p.source, /^https:\/\/aws\.amazon\.com\/[a-z-]+\/(?:[a-z]+\/)?pricing\//, `${region} ${at}`);
                assert.strictEqual(p.asOf, "2026-11", `${region} ${at}`);
                assert.strictEqual(typeof p.confirmed, "boolean");
            }
        }
    });

    it("marks as confirmed exactly the prices checked against a source (Fargate, the small t4g databases, gp3)", () => {
        const confirmed = allPrices(us).filter(([, p]) => p.confirmed).map(([at]) => at);
        assert.deepStrictEqual(confirmed, [
            "fargate.X86_64.vcpuHour",
            "fargate.X86_64.gbHour",
            "fargate.ARM64.vcpuHour",
            "fargate.ARM64.gbHour",
            "rdsPostgresHour.db.t4g.micro",
            "rdsPostgresHour.db.t4g.small",
            "rdsPostgresHour.db.t4g.medium",
            "rdsGp3GbMonth",
        ]);
    });

    it("units say what is billed", () => {
        assert.deepStrictEqual(
            [us.fargate.X86_64.vcpuHour.unit, us.fargate.ARM64.gbHour.unit, us.rdsPostgresHour["db.t4g.large"].unit, us.rdsGp3GbMonth.unit, us.cacheRedisHour["cache.r7g.large"].unit],
            ["vCPU-hour", "GB-hour", "instance-hour", "GB-month", "node-hour"],
        );
    });

    it("Fargate on Graviton (ARM64) is 20 % cheaper per vCPU and per GB", () => {
        assert.ok(Math.abs(us.fargate.ARM64.vcpuHour.usd / us.fargate.X86_64.vcpuHour.usd - 0.8) < 0.01);
        assert.ok(Math.abs(us.fargate.ARM64.gbHour.usd / us.fargate.X86_64.gbHour.usd - 0.8) < 0.01);
    });

    it("each size up in a family costs about twice the one below; at one size, burstable < general purpose < memory optimized", () => {
        const steps = (table: Readonly<Record<string, Price>>, names: string[]): void => {
            for (let i = 1; i < names.length; i++) {
                const ratio = table[names[i]].usd / table[names[i - 1]].usd;
                assert.ok(ratio > 1.9 && ratio < 2.1, `${names[i]} / ${names[i - 1]} = ${ratio}`);
            }
        };
        steps(us.rdsPostgresHour, ["db.t4g.micro", "db.t4g.small", "db.t4g.medium", "db.t4g.large"]);
        steps(us.cacheRedisHour, ["cache.t4g.micro", "cache.t4g.small", "cache.t4g.medium"]);
        // Same vCPUs, twice the memory: r costs 1.2–1.6 × m; m above the burstable t4g.
        const rds = us.rdsPostgresHour;
        assert.ok(rds["db.t4g.large"].usd < rds["db.m7g.large"].usd);
        const r1 = rds["db.r7g.large"].usd / rds["db.m7g.large"].usd;
        const cache = us.cacheRedisHour;
        assert.ok(cache["cache.t4g.medium"].usd < cache["cache.m7g.large"].usd);
        const r2 = cache["cache.r7g.large"].usd / cache["cache.m7g.large"].usd;
        assert.ok(r1 > 1.2 && r1 < 1.6 && r2 > 1.2 && r2 < 1.6, `${r1} ${r2}`);
    });

    it("a region with prices uses its own; any other falls back to us-east-1 and says so", () => {
        assert.deepStrictEqual(pricesFor("us-east-1"), { prices: us, priceRegion: "us-east-1", fallback: undefined });
        const other = pricesFor("ap-south-2");
        assert.strictEqual(other.prices, us);
        assert.strictEqual(other.priceRegion, "us-east-1");
        assert.match(other.fallback ?? "", /^NO PRICE DATA FOR ap-south-2: .*ap-south-2 is usually dearer$/);
    });
});
