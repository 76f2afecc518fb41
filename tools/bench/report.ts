/**
 * Medians over runs, ratios between servers measured in the same invocation, and the
 * tables the benchmark prints (plain text for the terminal, Markdown for BENCHMARKS.md).
 */
import { OPEN_RATE_POLICY, type OpenRateBasis } from "./open-rate";
import type { PathId } from "./paths";
import type { TargetId } from "./targets";
import { TARGETS } from "./targets";

/** One measured run, whichever generator made it. */
export interface RunFigures {
    readonly rps: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly errors: number;
    readonly requests: number;
    /** Fixed-rate runs: how far the sender fell behind its schedule (its own saturation). */
    readonly maxSendLagMs?: number;
    /** The server's CPU time (its process tree, user + system) per answered request, µs. */
    readonly cpuUsPerRequest?: number;
    /**
     * The server's CPU time over the run's wall time (1 = one core busy throughout). At a
     * fixed rate it says how loaded the server was: a p99 is read against it.
     */
    readonly busyShare?: number;
    /** The server's garbage-collection pauses over the run's wall time (0.01 = 10 ms per second). */
    readonly gcPausedShare?: number;
    /** The server's longest garbage-collection pause in the run, ms. */
    readonly gcMaxPauseMs?: number;
}

export interface CellResult {
    readonly target: TargetId;
    readonly path: PathId;
    /** Fixed concurrency (wrk), one entry per run. */
    readonly closed: readonly RunFigures[];
    /** Fixed arrival rate (open model), one entry per run. */
    readonly open: readonly RunFigures[];
    /** Rate asked of the fixed-rate runs. */
    readonly openRate: number;
    /** True when openRate was cut to what the generator can send from one core. */
    readonly openRateCapped: boolean;
    /** How openRate was chosen (tools/bench/open-rate.ts); absent in older results. */
    readonly openRateBasis?: OpenRateBasis;
    /** The short runs that chose openRate, in order; the first is at the starting rate. */
    readonly openProbes?: readonly ProbeRun[];
}

/** One probe of the fixed-rate calibration. */
export interface ProbeRun {
    readonly rate: number;
    readonly figures: RunFigures;
}

export interface BenchResult {
    readonly startedAt: string;
    readonly machine: { readonly nproc: number; readonly cpuModel: string; readonly node: string; readonly pinned: boolean };
    readonly settings: {
        readonly runs: number;
        readonly durationS: number;
        readonly warmupS: number;
        readonly connections: number;
        readonly openFraction: number;
        /** The core busy share the fixed-rate runs aimed at (absent: rate from c=64 alone). */
        readonly openTargetBusy?: number;
        /** The fixed-rate runs never asked more than this (older results: 2000). */
        readonly maxOpenRps?: number;
    };
    readonly cells: readonly CellResult[];
    /** Peak RSS of each server's process tree while under load, bytes. */
    readonly peakRss: Readonly<Partial<Record<TargetId, number>>>;
    /** RSS of each server's process tree after warm-up, before measured runs, bytes. */
    readonly idleRss: Readonly<Partial<Record<TargetId, number>>>;
}

export function median(values: readonly number[]): number {
    const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    if (finite.length === 0) {
        return Number.NaN;
    }
    const mid = Math.floor(finite.length / 2);
    return finite.length % 2 === 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

export interface MedianFigures {
    readonly rps: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    /** Errors summed over all runs (not a median: any error matters). */
    readonly errors: number;
    readonly requests: number;
    /** Median CPU µs per request (NaN for results recorded before it was measured). */
    readonly cpuUsPerRequest: number;
    /** Median share of a core the server used (NaN for results recorded before it was measured). */
    readonly busyShare: number;
    /** Median GC pause time per wall time, and median longest pause, ms (NaN before they were measured). */
    readonly gcPausedShare: number;
    readonly gcMaxPauseMs: number;
}

export function medians(runs: readonly RunFigures[]): MedianFigures {
    return {
        rps: median(runs.map((r) => r.rps)),
        p50Ms: median(runs.map((r) => r.p50Ms)),
        p99Ms: median(runs.map((r) => r.p99Ms)),
        errors: runs.reduce((sum, r) => sum + r.errors, 0),
        requests: runs.reduce((sum, r) => sum + r.requests, 0),
        cpuUsPerRequest: median(runs.map((r) => r.cpuUsPerRequest ?? Number.NaN)),
        busyShare: median(runs.map((r) => r.busyShare ?? Number.NaN)),
        gcPausedShare: median(runs.map((r) => r.gcPausedShare ?? Number.NaN)),
        gcMaxPauseMs: median(runs.map((r) => r.gcMaxPauseMs ?? Number.NaN)),
    };
}

/**
 * The gateway's efficiency against another server on one path, by CPU time per request
 * at fixed concurrency: `other`'s µs ÷ those of `of` (the production server unless
 * named; 1 = as cheap, 0.5 = twice the CPU). Unlike req/s, barely moved by other
 * processes sharing the core.
 */
export function cpuRatio(result: BenchResult, path: PathId, other: TargetId, of: TargetId = "prod"): number {
    const us = (t: TargetId): number => {
        const c = cell(result, t, path);
        return c === undefined ? Number.NaN : medians(c.closed).cpuUsPerRequest;
    };
    return us(other) / us(of);
}

/**
 * The same comparisons, round by round: `of` and `other` are measured back to back in
 * each round, so a slow stretch of a shared host hits both and cancels out of their
 * ratio; the ratio of two medians keeps it. The median of the per-round ratios, over
 * rounds where both were measured (NaN when none). `rps`: of ÷ other, as b/c;
 * `cpu`: other's CPU µs per request ÷ of's, as cpuRatio.
 */
export function pairedRatio(result: BenchResult, path: PathId, other: TargetId, metric: "rps" | "cpu", of: TargetId = "prod"): number {
    const a = cell(result, of, path)?.closed ?? [];
    const b = cell(result, other, path)?.closed ?? [];
    const perRound: number[] = [];
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
        perRound.push(metric === "rps" ? a[i].rps / b[i].rps : (b[i].cpuUsPerRequest ?? Number.NaN) / (a[i].cpuUsPerRequest ?? Number.NaN));
    }
    return median(perRound);
}

export function cell(result: BenchResult, target: TargetId, path: PathId): CellResult | undefined {
    return result.cells.find((c) => c.target === target && c.path === path);
}

/** The ceiling the gateway is held to on a path: the proxy ceiling (d) for misses, bare node:http (c) otherwise. */
export function ceilingOf(path: PathId): TargetId {
    return path === "miss" ? "proxy-ceiling" : "ceiling";
}

/**
 * Ratios of the closed-loop median req/s for one path (NaN when a side is missing), and
 * the gateway's fixed-rate p99 over its ceiling's (each at 70 % of its own capacity).
 */
export function ratios(
    result: BenchResult,
    path: PathId,
): {
    bOverA: number;
    bOverC: number;
    bOverBNext: number;
    bOverBQuiet: number;
    bOverD: number;
    bOverBase: number;
    bOverE: number;
    bRedisOverE: number;
    bOverF: number;
    p99OverCeiling: number;
    baseP99OverCeiling: number;
    p99OverE: number;
    p99OverF: number;
} {
    const rps = (t: TargetId): number => {
        const c = cell(result, t, path);
        return c === undefined ? Number.NaN : medians(c.closed).rps;
    };
    const p99 = (t: TargetId): number => {
        const c = cell(result, t, path);
        return c === undefined ? Number.NaN : medians(c.open).p99Ms;
    };
    return {
        bOverA: rps("prod") / rps("dev"),
        bOverC: rps("prod") / rps("ceiling"),
        bOverBNext: rps("prod") / rps("prod-next"),
        bOverBQuiet: rps("prod") / rps("prod-quiet"),
        bOverD: rps("prod") / rps("proxy-ceiling"),
        bOverBase: rps("prod") / rps("prod-base"),
        bOverE: rps("prod") / rps("cache-ceiling"),
        bRedisOverE: rps("prod-redis") / rps("cache-ceiling"),
        bOverF: rps("prod") / rps("proxy-cache-ceiling"),
        p99OverCeiling: p99("prod") / p99(ceilingOf(path)),
        baseP99OverCeiling: p99("prod-base") / p99(ceilingOf(path)),
        p99OverE: p99("prod") / p99("cache-ceiling"),
        p99OverF: p99("prod") / p99("proxy-cache-ceiling"),
    };
}

const fmt = {
    rps: (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : "n/a"),
    ms: (v: number): string => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(1)) : "n/a"),
    ratio: (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : "n/a"),
    pct: (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : "n/a"),
    busy: (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(0)} %` : "n/a"),
    us: (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : "n/a"),
    mib: (v: number | undefined): string => (v === undefined ? "n/a" : `${(v / 1024 / 1024).toFixed(0)} MiB`),
};

/** After the asked rate: why it is not simply 70 % of the c=64 median. */
function rateNote(c: CellResult): string {
    if (c.openRateCapped) {
        return " (cap)";
    }
    return c.openRateBasis === "busy" ? " (by core)" : "";
}

/**
 * How each fixed rate was chosen: every probe's rate, core busy share and p99. The first
 * probe ran at the starting rate (70 % of the c=64 median, capped), so it also shows what
 * the server did there. Empty for results recorded before the probes.
 */
function probeLines(result: BenchResult, paths: readonly PathId[], targets: readonly TargetId[]): string[] {
    const rows: string[] = [];
    for (const p of paths) {
        for (const t of targets) {
            const c = cell(result, t, p);
            if (c?.openProbes === undefined || c.openProbes.length === 0) continue;
            const steps = c.openProbes.map((probe) => `${fmt.rps(probe.rate)}/s: ${fmt.busy(probe.figures.busyShare ?? Number.NaN)} busy, p99 ${fmt.ms(probe.figures.p99Ms)} ms`);
            rows.push(`| ${p} | (${TARGETS[t].letter}) ${TARGETS[t].label} | ${steps.join("; ")} | ${fmt.rps(c.openRate)}${rateNote(c)} |`);
        }
    }
    if (rows.length === 0) {
        return [];
    }
    const target = result.settings.openTargetBusy;
    return [
        "",
        `Fixed rate chosen by short probes: "(by core)" marks a rate scaled down because a probe found the server's core busier than ${target === undefined ? "n/a" : fmt.busy(target)} (+${(OPEN_RATE_POLICY.tolerance * 100).toFixed(0)} points for noise; at most ${OPEN_RATE_POLICY.maxProbes} probes, the last rate may be unprobed), "(cap)" the sender's limit.`,
        "",
        "| path | server | probes (rate: core busy, p99) | asked |",
        "|---|---|---|--:|",
        ...rows,
    ];
}

/** The Markdown tables: one row per path × server, then ratios, then memory. */
export function markdown(result: BenchResult, paths: readonly PathId[], targets: readonly TargetId[]): string {
    const lines: string[] = [];
    lines.push(
        `| path | server | fixed concurrency (c=${result.settings.connections}): req/s | p50 ms | p99 ms | errors | CPU µs/request | fixed rate: asked req/s | got req/s | p50 ms | p99 ms | errors | CPU µs/request | server's core busy | GC pauses ms per s | longest GC pause ms | sender lag ms (max) |`,
    );
    lines.push("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (const p of paths) {
        for (const t of targets) {
            const c = cell(result, t, p);
            if (c === undefined) continue;
            const closed = medians(c.closed);
            const open = medians(c.open);
            // The sender's worst lag over the runs: large means core 0 (not the server) was busy.
            const lag = Math.max(...c.open.map((r) => r.maxSendLagMs ?? 0));
            lines.push(
                `| ${p} | (${TARGETS[t].letter}) ${TARGETS[t].label} | ${fmt.rps(closed.rps)} | ${fmt.ms(closed.p50Ms)} | ${fmt.ms(closed.p99Ms)} | ${closed.errors} | ${fmt.us(closed.cpuUsPerRequest)} | ${fmt.rps(c.openRate)}${rateNote(c)} | ${fmt.rps(open.rps)} | ${fmt.ms(open.p50Ms)} | ${fmt.ms(open.p99Ms)} | ${open.errors} | ${fmt.us(open.cpuUsPerRequest)} | ${fmt.busy(open.busyShare)} | ${fmt.us(open.gcPausedShare * 1000)} | ${fmt.us(open.gcMaxPauseMs)} | ${fmt.ms(lag)} |`,
            );
        }
    }
    lines.push(...probeLines(result, paths, targets));
    lines.push("");
    const withBase = targets.includes("prod-base");
    const withE = targets.includes("cache-ceiling");
    const withF = targets.includes("proxy-cache-ceiling");
    lines.push(
        "| path | b/a (prod ÷ next dev) | b/c (prod ÷ bare node:http) | b/b′ (lean ÷ Next route handlers) | b/d (prod ÷ proxy ceiling) | fixed-rate p99: b ÷ its ceiling | b/b0 (logging+metrics on ÷ off) |" +
            (withBase ? " b/b* (prod ÷ baseline build) | fixed-rate p99: b* ÷ its ceiling |" : "") +
            (withE ? " b/e (hit: prod ÷ cache ceiling) | bR/e (hit from Redis ÷ cache ceiling) | fixed-rate p99: b ÷ e |" : "") +
            (withF ? " b/f (miss: prod ÷ miss I/O ceiling) | fixed-rate p99: b ÷ f |" : ""),
    );
    lines.push(`|---|--:|--:|--:|--:|--:|--:|${withBase ? "--:|--:|" : ""}${withE ? "--:|--:|--:|" : ""}${withF ? "--:|--:|" : ""}`);
    for (const p of paths) {
        const r = ratios(result, p);
        const ceilingLetter = TARGETS[ceilingOf(p)].letter;
        lines.push(
            `| ${p} | ${fmt.ratio(r.bOverA)} | ${fmt.pct(r.bOverC)} | ${fmt.ratio(r.bOverBNext)} | ${fmt.pct(r.bOverD)} | ${fmt.ratio(r.p99OverCeiling)} (÷ ${ceilingLetter}) | ${fmt.pct(r.bOverBQuiet)} |` +
                (withBase ? ` ${fmt.pct(r.bOverBase)} | ${fmt.ratio(r.baseP99OverCeiling)} (÷ ${ceilingLetter}) |` : "") +
                (withE ? ` ${fmt.pct(r.bOverE)} | ${fmt.pct(r.bRedisOverE)} | ${fmt.ratio(r.p99OverE)} |` : "") +
                (withF ? ` ${fmt.pct(r.bOverF)} | ${fmt.ratio(r.p99OverF)} |` : ""),
        );
    }
    lines.push("");
    lines.push(
        "| path | by CPU per request: c ÷ b (bare node:http) | d ÷ b (proxy ceiling) | f ÷ b (miss I/O ceiling) | e ÷ b (cache ceiling) | e ÷ bR (cache ceiling ÷ memo off) | b* ÷ b (baseline build) | b0 ÷ b (logging+metrics off) |",
    );
    lines.push("|---|--:|--:|--:|--:|--:|--:|--:|");
    for (const p of paths) {
        lines.push(
            `| ${p} | ${fmt.pct(cpuRatio(result, p, "ceiling"))} | ${fmt.pct(cpuRatio(result, p, "proxy-ceiling"))} | ${fmt.pct(cpuRatio(result, p, "proxy-cache-ceiling"))} | ${fmt.pct(cpuRatio(result, p, "cache-ceiling"))} | ${fmt.pct(cpuRatio(result, p, "cache-ceiling", "prod-redis"))} | ${fmt.pct(cpuRatio(result, p, "prod-base"))} | ${fmt.pct(cpuRatio(result, p, "prod-quiet"))} |`,
        );
    }
    lines.push("");
    const paired: readonly TargetId[] = ["ceiling", "proxy-ceiling", "proxy-cache-ceiling", "cache-ceiling", "prod-base"];
    lines.push(`| path | paired rounds (median of per-round ratios): ${paired.map((t) => `b/${TARGETS[t].letter} req/s | ${TARGETS[t].letter} ÷ b CPU`).join(" | ")} |`);
    lines.push(`|---|${paired.map(() => "--:|--:|").join("")}`);
    for (const p of paths) {
        lines.push(`| ${p} | ${paired.map((t) => `${fmt.pct(pairedRatio(result, p, t, "rps"))} | ${fmt.pct(pairedRatio(result, p, t, "cpu"))}`).join(" | ")} |`);
    }
    lines.push("");
    lines.push("| server | RSS after warm-up | peak RSS under load |");
    lines.push("|---|--:|--:|");
    for (const t of targets) {
        lines.push(`| (${TARGETS[t].letter}) ${TARGETS[t].label} | ${fmt.mib(result.idleRss[t])} | ${fmt.mib(result.peakRss[t])} |`);
    }
    return lines.join("\n");
}
