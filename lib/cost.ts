/**
 * Monthly cost estimate of a stack, from what it runs (pure; prices from lib/prices.ts).
 * Every figure carries the arithmetic that made it and the assumption behind any usage-
 * based charge (load-balancer capacity units, NAT traffic, log volume, image storage), so
 * a reviewer can redo it. Tasks cost at `replicas`; with autoscaling, the ceiling
 * (`maxReplicas`) gives the top of a range.
 */
import { HOURS_PER_MONTH, Price, RegionPrices, pricesFor } from "./prices";

export type CostItem =
    | { readonly kind: "fargate"; readonly component: string; readonly cpuUnits: number; readonly memoryMiB: number; readonly arch: "X86_64" | "ARM64"; readonly tasks: number; readonly maxTasks: number }
    | { readonly kind: "alb"; readonly component: string }
    | { readonly kind: "nat"; readonly component: string }
    | { readonly kind: "publicIpv4"; readonly component: string; readonly count: number; readonly what: string }
    | { readonly kind: "rds"; readonly component: string; readonly instanceClass: string; readonly multiAz: boolean; readonly storageGb: number }
    | { readonly kind: "cache"; readonly component: string; readonly nodeType: string; readonly nodes: number; readonly engine: string }
    | { readonly kind: "secret"; readonly component: string }
    | { readonly kind: "logs"; readonly component: string; readonly retentionDays: number }
    | { readonly kind: "ecr"; readonly component: string }
    | { readonly kind: "alarm"; readonly component: string };

/** Usage the program cannot know; printed next to the figures they drive. */
export interface UsageAssumptions {
    /** Average load-balancer capacity units per ALB (1 LCU ≈ 25 new connections/s, 3,000 active, 1 GB/h, 1,000 rule evaluations/s). */
    readonly albLcu: number;
    /** GB per month through each NAT gateway (the gateway's upstream JSON-RPC calls and image pulls). */
    readonly natGbPerGateway: number;
    /** GB of logs ingested per month per log group. */
    readonly logsGbPerGroup: number;
    /** GB of images kept per ECR repository (the lifecycle policy bounds it). */
    readonly ecrGbPerRepo: number;
}

export const DEFAULT_ASSUMPTIONS: UsageAssumptions = { albLcu: 1, natGbPerGateway: 100, logsGbPerGroup: 5, ecrGbPerRepo: 1 };

export interface CostLine {
    readonly component: string;
    readonly item: string;
    /** USD per month at the configured replicas. */
    readonly monthly: number;
    /** USD per month at the autoscaling ceiling, when it differs. */
    readonly monthlyMax?: number;
    /** The arithmetic, e.g. `4 tasks × (1 vCPU × $0.04048 + 2 GB × $0.004445) × 730 h`. */
    readonly formula: string;
    /** The usage assumption behind the figure, if any. */
    readonly assumption?: string;
    /** A price not confirmed at its source, or missing (then the figure is 0 and says so). */
    readonly warning?: string;
}

export interface CostEstimate {
    readonly region: string;
    readonly priceRegion: string;
    /** Set when the region has no price data (loud: printed with the estimate). */
    readonly fallback?: string;
    readonly lines: readonly CostLine[];
    readonly total: number;
    readonly totalMax: number;
    readonly byComponent: ReadonlyArray<{ readonly component: string; readonly monthly: number; readonly monthlyMax: number }>;
}

function usd(n: number, digits = 2): string {
    return `$${n.toFixed(digits)}`;
}

function rate(price: Price): string {
    return `$${price.usd}`;
}

function unconfirmed(...prices: readonly Price[]): string | undefined {
    const weak = prices.filter((p) => !p.confirmed);
    return weak.length === 0 ? undefined : `price not confirmed at source: ${weak.map((p) => `${rate(p)}/${p.unit}`).join(", ")}`;
}

function round(n: number): number {
    return Math.round(n * 100) / 100;
}

function lineFor(item: CostItem, prices: RegionPrices, usage: UsageAssumptions): CostLine {
    const h = HOURS_PER_MONTH;
    const c = item.component;
    switch (item.kind) {
        case "fargate": {
            const f = prices.fargate[item.arch];
            const vcpu = item.cpuUnits / 1024;
            const gb = item.memoryMiB / 1024;
            const perTask = (vcpu * f.vcpuHour.usd + gb * f.gbHour.usd) * h;
            const formula = `${item.tasks} task${item.tasks === 1 ? "" : "s"} × (${vcpu} vCPU × ${rate(f.vcpuHour)} + ${gb} GB × ${rate(f.gbHour)}) × ${h} h (${item.arch})`;
            return {
                component: c,
                item: "Fargate tasks",
                monthly: round(perTask * item.tasks),
                ...(item.maxTasks !== item.tasks ? { monthlyMax: round(perTask * item.maxTasks) } : {}),
                formula: item.maxTasks !== item.tasks ? `${formula}; up to ${item.maxTasks} tasks at the autoscaling ceiling` : formula,
            };
        }
        case "alb": {
            const hours = prices.albHour.usd * h;
            const lcu = usage.albLcu * prices.albLcuHour.usd * h;
            const warning = unconfirmed(prices.albHour, prices.albLcuHour);
            return {
                component: c,
                item: "Application Load Balancer",
                monthly: round(hours + lcu),
                formula: `${rate(prices.albHour)} × ${h} h + ${usage.albLcu} LCU × ${rate(prices.albLcuHour)} × ${h} h`,
                assumption: `${usage.albLcu} LCU on average (1 LCU ≈ 25 new connections/s or 1 GB/h); heavy traffic costs more`,
                ...(warning ? { warning } : {}),
            };
        }
        case "nat": {
            const hours = prices.natHour.usd * h;
            const data = usage.natGbPerGateway * prices.natGb.usd;
            const warning = unconfirmed(prices.natHour, prices.natGb);
            return {
                component: c,
                item: "NAT gateway",
                monthly: round(hours + data),
                formula: `${rate(prices.natHour)} × ${h} h + ${usage.natGbPerGateway} GB × ${rate(prices.natGb)}`,
                assumption: `${usage.natGbPerGateway} GB/month processed (upstream RPC calls, image pulls); at 2,000 req/s × 1 KB that is ~5,200 GB ≈ ${usd(5200 * prices.natGb.usd)} more`,
                ...(warning ? { warning } : {}),
            };
        }
        case "publicIpv4": {
            const warning = unconfirmed(prices.publicIpv4Hour);
            return {
                component: c,
                item: `public IPv4 (${item.what})`,
                monthly: round(item.count * prices.publicIpv4Hour.usd * h),
                formula: `${item.count} × ${rate(prices.publicIpv4Hour)} × ${h} h`,
                ...(warning ? { warning } : {}),
            };
        }
        case "rds": {
            const price = prices.rdsPostgresHour[item.instanceClass];
            const copies = item.multiAz ? 2 : 1;
            const storage = item.storageGb * prices.rdsGp3GbMonth.usd * copies;
            const az = item.multiAz ? " × 2 (Multi-AZ standby)" : "";
            if (price === undefined) {
                return {
                    component: c,
                    item: `RDS ${item.instanceClass}`,
                    monthly: round(storage),
                    formula: `instance: no price for ${item.instanceClass} in lib/prices.ts (counted as $0); storage ${item.storageGb} GB × ${rate(prices.rdsGp3GbMonth)}${az}`,
                    warning: `no price data for ${item.instanceClass}: the instance is NOT in this total`,
                };
            }
            const warning = unconfirmed(price, prices.rdsGp3GbMonth);
            return {
                component: c,
                item: `RDS PostgreSQL ${item.instanceClass}${item.multiAz ? " Multi-AZ" : ""}`,
                monthly: round(price.usd * h * copies + storage),
                formula: `${rate(price)} × ${h} h${az} + ${item.storageGb} GB gp3 × ${rate(prices.rdsGp3GbMonth)}${az}`,
                assumption: "allocated storage only (storage autoscaling, backups beyond the database size and I/O above gp3's baseline cost extra)",
                ...(warning ? { warning } : {}),
            };
        }
        case "cache": {
            const price = prices.cacheRedisHour[item.nodeType];
            if (price === undefined) {
                return {
                    component: c,
                    item: `ElastiCache ${item.nodeType}`,
                    monthly: 0,
                    formula: `no price for ${item.nodeType} in lib/prices.ts (counted as $0)`,
                    warning: `no price data for ${item.nodeType}: the cache is NOT in this total`,
                };
            }
            const factor = item.engine === "valkey" ? prices.cacheValkeyFactor.usd : 1;
            const warning = unconfirmed(price, ...(item.engine === "valkey" ? [prices.cacheValkeyFactor] : []));
            return {
                component: c,
                item: `ElastiCache ${item.engine} ${item.nodeType}`,
                monthly: round(item.nodes * price.usd * factor * h),
                formula: `${item.nodes} node${item.nodes === 1 ? "" : "s"} × ${rate(price)}${factor !== 1 ? ` × ${factor} (valkey)` : ""} × ${h} h`,
                ...(warning ? { warning } : {}),
            };
        }
        case "secret": {
            const warning = unconfirmed(prices.secretMonth);
            return { component: c, item: "Secrets Manager secret", monthly: round(prices.secretMonth.usd), formula: `${rate(prices.secretMonth)}/month (API calls extra)`, ...(warning ? { warning } : {}) };
        }
        case "logs": {
            const stored = usage.logsGbPerGroup * Math.min(item.retentionDays, 3653) / 30;
            const warning = unconfirmed(prices.logsIngestGb, prices.logsStoreGbMonth);
            return {
                component: c,
                item: "CloudWatch Logs",
                monthly: round(usage.logsGbPerGroup * prices.logsIngestGb.usd + stored * prices.logsStoreGbMonth.usd),
                formula: `${usage.logsGbPerGroup} GB × ${rate(prices.logsIngestGb)} ingest + ${round(stored)} GB kept (${item.retentionDays} days) × ${rate(prices.logsStoreGbMonth)}`,
                assumption: `${usage.logsGbPerGroup} GB of logs per month`,
                ...(warning ? { warning } : {}),
            };
        }
        case "ecr": {
            const warning = unconfirmed(prices.ecrGbMonth);
            return {
                component: c,
                item: "ECR storage",
                monthly: round(usage.ecrGbPerRepo * prices.ecrGbMonth.usd),
                formula: `${usage.ecrGbPerRepo} GB × ${rate(prices.ecrGbMonth)}`,
                assumption: `${usage.ecrGbPerRepo} GB of images kept`,
                ...(warning ? { warning } : {}),
            };
        }
        case "alarm": {
            const warning = unconfirmed(prices.alarmMonth);
            return { component: c, item: "CloudWatch alarm", monthly: round(prices.alarmMonth.usd), formula: `${rate(prices.alarmMonth)}/month`, ...(warning ? { warning } : {}) };
        }
    }
}

/** Lines of one kind and component are merged (4 alarms → one line), so the table stays short. */
function merge(lines: readonly CostLine[]): CostLine[] {
    const out = new Map<string, CostLine & { count: number }>();
    for (const l of lines) {
        const key = `${l.component}\u0000${l.item}\u0000${l.formula}`;
        const seen = out.get(key);
        if (seen === undefined) {
            out.set(key, { ...l, count: 1 });
        } else {
            out.set(key, {
                ...seen,
                count: seen.count + 1,
                monthly: round(seen.monthly + l.monthly),
                ...(seen.monthlyMax !== undefined || l.monthlyMax !== undefined ? { monthlyMax: round((seen.monthlyMax ?? seen.monthly) + (l.monthlyMax ?? l.monthly)) } : {}),
            });
        }
    }
    return [...out.values()].map(({ count, ...l }) => (count === 1 ? l : { ...l, item: `${l.item} × ${count}`, formula: `${count} × (${l.formula})` }));
}

export function estimateCost(region: string, items: readonly CostItem[], usage: UsageAssumptions = DEFAULT_ASSUMPTIONS): CostEstimate {
    const { prices, priceRegion, fallback } = pricesFor(region);
    const lines = merge(items.map((i) => lineFor(i, prices, usage)));
    const components = [...new Set(lines.map((l) => l.component))];
    const byComponent = components.map((component) => {
        const mine = lines.filter((l) => l.component === component);
        return {
            component,
            monthly: round(mine.reduce((n, l) => n + l.monthly, 0)),
            monthlyMax: round(mine.reduce((n, l) => n + (l.monthlyMax ?? l.monthly), 0)),
        };
    });
    return {
        region,
        priceRegion,
        ...(fallback ? { fallback } : {}),
        lines,
        total: round(lines.reduce((n, l) => n + l.monthly, 0)),
        totalMax: round(lines.reduce((n, l) => n + (l.monthlyMax ?? l.monthly), 0)),
        byComponent,
    };
}

/** `+$61.32/month`, `-$12.00/month`, `±$0.00/month`. */
export function formatDelta(delta: number): string {
    const r = round(delta);
    return `${r > 0 ? "+" : r < 0 ? "-" : "±"}${usd(Math.abs(r))}/month`;
}

export function formatUsd(n: number): string {
    return usd(n);
}
