/**
 * AWS public ON-DEMAND prices the cost estimate uses (lib/cost.ts), as data: each with its
 * unit, the date it was read and its source. USD, Linux, no Savings Plans, no free tier.
 *
 * Regions: only us-east-1 is filled in. Config validation accepts any region name, so for
 * every other region the estimate falls back to us-east-1 and SAYS SO on every cost block
 * (`fallback`), because prices elsewhere are typically 5–30 % higher. Add a region by
 * copying the us-east-1 block from the AWS price pages below.
 *
 * `confirmed: false` marks a price that could not be checked against a source while this
 * file was written (no network here; the team's search index had secondary sources only
 * for some): treat those as the best known value, and correct them from the AWS page.
 */
export interface Price {
    readonly usd: number;
    readonly unit: string;
    /** Where the figure comes from. */
    readonly source: string;
    /** When it was read (YYYY-MM). */
    readonly asOf: string;
    readonly confirmed: boolean;
}

export interface RegionPrices {
    readonly fargate: Readonly<Record<"X86_64" | "ARM64", { readonly vcpuHour: Price; readonly gbHour: Price }>>;
    readonly albHour: Price;
    readonly albLcuHour: Price;
    readonly natHour: Price;
    readonly natGb: Price;
    readonly publicIpv4Hour: Price;
    /** RDS for PostgreSQL, Single-AZ, per instance class; Multi-AZ is twice this (a billed standby). */
    readonly rdsPostgresHour: Readonly<Record<string, Price>>;
    /** gp3 per GB-month, Single-AZ; Multi-AZ stores (and bills) it twice. */
    readonly rdsGp3GbMonth: Price;
    /** ElastiCache for Redis OSS, per node type. */
    readonly cacheRedisHour: Readonly<Record<string, Price>>;
    /** Valkey node-based prices relative to Redis OSS (0.8 = 20 % lower). */
    readonly cacheValkeyFactor: Price;
    readonly secretMonth: Price;
    readonly logsIngestGb: Price;
    readonly logsStoreGbMonth: Price;
    readonly ecrGbMonth: Price;
    readonly alarmMonth: Price;
}

/** AWS bills by the hour (or second); a month is 730 hours in AWS's own calculator. */
export const HOURS_PER_MONTH = 730;

const AS_OF = "2026-11";
const FARGATE = "https://aws.amazon.com/fargate/pricing/ (figures as quoted by vantage.sh/blog/fargate-pricing and wring.co, us-east-1)";
const RDS = "https://aws.amazon.com/rds/postgresql/pricing/ (figures as quoted by infratally.com, usage.ai, us-east-1)";
const ELB = "https://aws.amazon.com/elasticloadbalancing/pricing/";
const VPC = "https://aws.amazon.com/vpc/pricing/";
const CACHE = "https://aws.amazon.com/elasticache/pricing/";

function p(usd: number, unit: string, source: string, confirmed: boolean): Price {
    return { usd, unit, source, asOf: AS_OF, confirmed };
}

export const PRICES: Readonly<Record<string, RegionPrices>> = {
    "us-east-1": {
        fargate: {
            X86_64: { vcpuHour: p(0.04048, "vCPU-hour", FARGATE, true), gbHour: p(0.004445, "GB-hour", FARGATE, true) },
            ARM64: { vcpuHour: p(0.03238, "vCPU-hour", FARGATE, true), gbHour: p(0.00356, "GB-hour", FARGATE, true) },
        },
        albHour: p(0.0225, "ALB-hour", ELB, false),
        albLcuHour: p(0.008, "LCU-hour", ELB, false),
        natHour: p(0.045, "NAT gateway-hour", VPC, false),
        natGb: p(0.045, "GB processed", VPC, false),
        publicIpv4Hour: p(0.005, "public IPv4 address-hour", VPC, false),
        rdsPostgresHour: {
            "db.t4g.micro": p(0.016, "instance-hour", RDS, true),
            "db.t4g.small": p(0.032, "instance-hour", RDS, true),
            "db.t4g.medium": p(0.065, "instance-hour", RDS, true),
            "db.t4g.large": p(0.129, "instance-hour", RDS, false),
            "db.m7g.large": p(0.168, "instance-hour", RDS, false),
            "db.r7g.large": p(0.239, "instance-hour", RDS, false),
        },
        rdsGp3GbMonth: p(0.115, "GB-month", RDS, true),
        cacheRedisHour: {
            "cache.t4g.micro": p(0.016, "node-hour", CACHE, false),
            "cache.t4g.small": p(0.032, "node-hour", CACHE, false),
            "cache.t4g.medium": p(0.065, "node-hour", CACHE, false),
            "cache.m7g.large": p(0.158, "node-hour", CACHE, false),
            "cache.r7g.large": p(0.219, "node-hour", CACHE, false),
        },
        cacheValkeyFactor: p(0.8, "× the Redis OSS node price", CACHE, false),
        secretMonth: p(0.4, "secret-month", "https://aws.amazon.com/secrets-manager/pricing/", false),
        logsIngestGb: p(0.5, "GB ingested", "https://aws.amazon.com/cloudwatch/pricing/", false),
        logsStoreGbMonth: p(0.03, "GB-month stored", "https://aws.amazon.com/cloudwatch/pricing/", false),
        ecrGbMonth: p(0.1, "GB-month", "https://aws.amazon.com/ecr/pricing/", false),
        alarmMonth: p(0.1, "standard alarm-month", "https://aws.amazon.com/cloudwatch/pricing/", false),
    },
};

/** The prices for `region`, or us-east-1's with `fallback` set (to be printed next to every figure). */
export function pricesFor(region: string): { readonly prices: RegionPrices; readonly priceRegion: string; readonly fallback: string | undefined } {
    const own = PRICES[region];
    if (own !== undefined) {
        return { prices: own, priceRegion: region, fallback: undefined };
    }
    return {
        prices: PRICES["us-east-1"],
        priceRegion: "us-east-1",
        fallback: `NO PRICE DATA FOR ${region}: figures use us-east-1 prices (lib/prices.ts has ${Object.keys(PRICES).join(", ")}); ${region} is usually dearer`,
    };
}
