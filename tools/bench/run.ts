/**
 * `npm run bench`: how fast is the gateway, against the seed's way of running it and
 * against what Node itself can do, measured side by side in one invocation.
 *
 *   npm run bench [-- --runs 3 --duration 5s --warmup 3s --connections 64 --max-rate 2000
 *                    --targets dev,prod,prod-next,ceiling,proxy-ceiling,proxy-cache-ceiling --paths hit,miss,health --build
 *                    --baseline <another checkout's app/ folder, built>]
 *
 * `--baseline` adds target (b*): that build, run exactly as (b), in the same rounds; its
 * ratio to (b) is an A/B of the two builds (e.g. before and after a hot-path change).
 *
 * Fewer rounds for a quick look: `--runs 1 --duration 3s --warmup 1s`.
 *
 * Starts Postgres, Redis and the JSON-RPC upstream stub with the app's own test helpers,
 * then every server at once (pinned to core 1), and interleaves the runs (path by path,
 * run by run, server by server) so slow drift on this shared machine hits every server
 * alike. `next dev` is stopped (SIGSTOP) while the others are measured: it compiles in
 * the background between its own rounds, and on core 1 that would be charged to them. Per path and server: a warm-up, `runs` fixed-concurrency runs with wrk, then
 * `runs` fixed-arrival-rate runs at 70 % of that server's own capacity: 70 % of its
 * fixed-concurrency median, lowered by short probes until its core is about 70 % busy
 * (tools/bench/open-rate.ts).
 * Prints medians, the b/a and b/c ratios and memory; writes JSON and Markdown to .tmp/bench/.
 */
import { spawnSync } from "node:child_process";
import type http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readDuration, readInteger } from "../loadtest/args";
import { runLoad } from "../loadtest/run";
import { summarize } from "../loadtest/stats";
import { benchPaths, BenchPath, BENCH_CACHE_TTLS, HIT_BODY, missBody, PATH_IDS, PathId, writeLuaScripts } from "./paths";
import { canPin, httpRequest, LOAD_CPU, pauseGroup, pinSelf, resumeGroup, RssSampler, Started, stop, treeCpuMs, treeRssBytes, waitForOk } from "./proc";
import { type CeilingAnswer, type CeilingAnswers, PLACEHOLDER_ANSWERS, replayableHeaders } from "./ceiling-support";
import { gcPauses } from "./gc-log";
import { calibrateOpenRate, OPEN_RATE_POLICY, type OpenRateBasis } from "./open-rate";
import { BenchResult, CellResult, markdown, medians, type ProbeRun, RunFigures } from "./report";
import { startServices } from "./services";
import { BASELINE_IMAGE, ensureBuild, measuresPath, ROOT, stageDevApp, stageImage, startTarget, TARGET_IDS, TargetId, TARGETS } from "./targets";
import { runWrk } from "./wrk";

/**
 * The fixed-rate runs never ask more than this. The sender is a Node process sharing
 * core 0 with Redis and the upstream stub; alone it holds 6,000/s, but at 5,000/s with
 * Redis beside it the core saturates and the ceiling server's p99 jumped to ~270 ms:
 * the figures described core 0, not the server. 2,000/s is the whole fleet's target,
 * so "one task at the fleet's full rate" is also the question worth asking.
 */
const DEFAULT_MAX_OPEN_RPS = 2000;
const BASE_PORT = 18_300;

interface BenchOptions {
    readonly runs: number;
    readonly durationS: number;
    readonly warmupS: number;
    readonly connections: number;
    readonly targets: readonly TargetId[];
    readonly paths: readonly PathId[];
    readonly build: boolean;
    readonly maxRate: number;
    /** Another checkout's app/ folder with a production build, for target prod-base. */
    readonly baseline: string | undefined;
}

function parseOptions(argv: readonly string[]): BenchOptions {
    const values = new Map<string, string>();
    const flags = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
        const name = argv[i].replace(/^--/, "");
        if (name === "build") {
            flags.add(name);
        } else if (["runs", "duration", "warmup", "connections", "targets", "paths", "max-rate", "baseline"].includes(name) && i + 1 < argv.length) {
            values.set(name, argv[++i]);
        } else {
            fail(`unknown or incomplete option ${argv[i]}; allowed: --runs --duration --warmup --connections --max-rate --targets --paths --build --baseline`);
        }
    }
    const integer = (name: string, fallback: string, min: number, max: number): number => {
        const r = readInteger(values.get(name) ?? fallback, min, max);
        return "value" in r ? r.value : fail(`--${name}: ${r.allowed}`);
    };
    const seconds = (name: string, fallback: string, minMs: number): number => {
        const r = readDuration(values.get(name) ?? fallback, minMs, 600_000);
        return "value" in r ? r.value / 1000 : fail(`--${name}: ${r.allowed}`);
    };
    const baseline = values.has("baseline") ? path.resolve(values.get("baseline") ?? "") : undefined;
    if (baseline !== undefined && !fs.existsSync(path.join(baseline, ".next", "standalone", "server.js"))) {
        fail(`--baseline ${baseline}: no production build there (.next/standalone/server.js); give another checkout's app/ folder after \`npm ci && npm run build\` in it`);
    }
    const list = <T extends string>(name: string, all: readonly T[], byDefault: readonly T[] = all): T[] => {
        const raw = values.get(name);
        if (raw === undefined) return [...byDefault];
        const picked = raw.split(",").map((s) => s.trim());
        const known = all.filter((a) => picked.includes(a));
        if (known.length !== picked.length || known.length === 0) {
            fail(`--${name}: a comma-separated list of ${all.join(", ")}`);
        }
        return known;
    };
    const targets = list("targets", TARGET_IDS, TARGET_IDS.filter((t) => t !== "prod-base" || baseline !== undefined));
    if (!targets.includes("prod")) {
        fail("--targets must include prod: the ratios and the ceiling's bodies come from it");
    }
    if (targets.includes("prod-base") && baseline === undefined) {
        fail("--targets prod-base needs --baseline <another checkout's app/ folder with a production build>");
    }
    return {
        runs: integer("runs", "3", 1, 20),
        durationS: seconds("duration", "5s", 1000),
        warmupS: seconds("warmup", "3s", 0),
        connections: integer("connections", "64", 1, 10_000),
        targets,
        paths: list("paths", PATH_IDS),
        build: flags.has("build"),
        maxRate: integer("max-rate", String(DEFAULT_MAX_OPEN_RPS), 1, 100_000),
        baseline,
    };
}

function fail(message: string): never {
    process.stderr.write(`bench: ${message}\n`);
    process.exit(2);
}

function say(line: string): void {
    process.stdout.write(`${line}\n`);
}

/** A fresh 8-hex-digit tag per run, so cache-miss keys never repeat across runs. */
let tagCounter = Math.floor(Math.random() * 0xffff_0000);
function nextTag(): string {
    tagCounter = (tagCounter + 1) >>> 0;
    return tagCounter.toString(16).padStart(8, "0");
}

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2));
    const startedAt = new Date().toISOString();
    if (spawnSync("wrk", ["--version"]).error !== undefined) {
        fail("wrk is not installed: run `npm run setup` (apt-get install wrk)");
    }
    // The generator (wrk and this process), Postgres, Redis and the upstream stub share
    // core 0; every server under test gets core 1 to itself, like a 1-vCPU task.
    const pinnedSelf = pinSelf(LOAD_CPU);
    say(`bench: ${pinnedSelf && canPin() ? "load on core 0, servers on core 1 (taskset)" : "NOT pinned (no taskset or one core)"}`);

    const workDir = path.join(ROOT, ".tmp", "bench");
    fs.mkdirSync(workDir, { recursive: true });
    ensureBuild(options.build);
    stageImage(path.join(workDir, "image"));
    if (options.baseline !== undefined && options.targets.includes("prod-base")) {
        stageImage(path.join(workDir, BASELINE_IMAGE), options.baseline);
    }
    if (options.targets.includes("dev")) {
        stageDevApp(path.join(workDir, "dev-app"));
    }
    const luaFiles = writeLuaScripts(path.join(workDir, "lua"), benchPaths("x"));

    const services = await startServices();
    const servers = new Map<TargetId, { started: Started; base: string }>();
    const peakRss: Partial<Record<TargetId, number>> = {};
    const idleRss: Partial<Record<TargetId, number>> = {};
    try {
        const env = { ...services.env, CACHE_TTLS: BENCH_CACHE_TTLS };
        const allPaths = benchPaths(services.endpointId);
        const paths = allPaths.filter((p) => options.paths.includes(p.id));
        const portOf = (t: TargetId): number => BASE_PORT + TARGET_IDS.indexOf(t);
        const ctxFor = (ceilingAnswers: CeilingAnswers) => ({ env, workDir, ceilingAnswers, upstreamUrl: services.upstreamUrl });

        // The production server first: it creates the schema, and the ceilings answer with its answers.
        const prodStarted = startTarget("prod", { ...ctxFor(PLACEHOLDER_ANSWERS), port: portOf("prod") });
        servers.set("prod", { started: prodStarted, base: `http://127.0.0.1:${portOf("prod")}` });
        await waitForOk(`http://127.0.0.1:${portOf("prod")}/api/ready`, prodStarted, 60_000);
        const prodBase = `http://127.0.0.1:${portOf("prod")}`;
        const replay = (res: { body: string; headers: http.IncomingHttpHeaders }): CeilingAnswer => ({ body: res.body, headers: replayableHeaders(res.headers) });
        const answers: CeilingAnswers = {
            hit: replay(await checkedAnswer(prodBase, pathOf(allPaths, "hit"), HIT_BODY)),
            miss: replay(await checkedAnswer(prodBase, pathOf(allPaths, "miss"), missBody("00000000", 0))),
            health: replay(await checkedAnswer(prodBase, pathOf(allPaths, "health"), undefined)),
        };

        for (const t of options.targets.filter((id) => id !== "prod")) {
            const started = startTarget(t, { ...ctxFor(answers), port: portOf(t) });
            servers.set(t, { started, base: `http://127.0.0.1:${portOf(t)}` });
        }
        for (const [t, s] of servers) {
            // next dev compiles each route on its first request: allow it minutes, not seconds.
            await waitForOk(`${s.base}/api/health`, s.started, t === "dev" ? 180_000 : 60_000);
            for (const p of paths.filter((q) => measuresPath(t, q.id))) {
                const res = await checkedAnswer(s.base, p, p.body("00000001", 0));
                if (CEILINGS.has(t)) {
                    sameHeaders(t, p.id, replayableHeaders(res.headers), answers[p.id].headers);
                }
            }
            say(`bench: ${TARGETS[t].letter} ${TARGETS[t].label} up (pid ${s.started.pid})`);
        }
        /**
         * Before a server is measured: `next dev` runs only while it is the one measured
         * (SIGSTOP otherwise), so its background compiling never lands on another's rounds.
         */
        const focus = (t: TargetId): void => {
            const dev = servers.get("dev");
            if (dev !== undefined) {
                (t === "dev" ? resumeGroup : pauseGroup)(dev.started);
            }
        };
        focus("prod");

        const cells: CellResult[] = [];
        for (const p of paths) {
            say(`bench: path ${p.id} — warm-up ${options.warmupS}s per server`);
            const targets = options.targets.filter((t) => measuresPath(t, p.id));
            for (const t of targets) {
                const s = serverOf(servers, t);
                focus(t);
                if (options.warmupS > 0) {
                    await runWrk({
                        url: `${s.base}${p.urlPath}`,
                        luaScript: luaOf(luaFiles, p.id),
                        connections: options.connections,
                        durationS: options.warmupS,
                        scriptArgs: [nextTag()],
                    });
                }
                idleRss[t] = Math.max(idleRss[t] ?? 0, treeRssBytes(s.started.pid));
            }
            const closed = new Map<TargetId, RunFigures[]>(targets.map((t) => [t, []]));
            for (let run = 1; run <= options.runs; run++) {
                for (const t of targets) {
                    const s = serverOf(servers, t);
                    focus(t);
                    const sampler = new RssSampler(s.started.pid);
                    const r = await withCpu(s.started, () =>
                        runWrk({
                            url: `${s.base}${p.urlPath}`,
                            luaScript: luaOf(luaFiles, p.id),
                            connections: options.connections,
                            durationS: options.durationS,
                            scriptArgs: [nextTag()],
                        }),
                    );
                    peakRss[t] = Math.max(peakRss[t] ?? 0, sampler.stop());
                    closed.get(t)?.push(r);
                    say(`  ${p.id} c=${options.connections} run ${run} ${TARGETS[t].letter}: ${r.rps.toFixed(0)} req/s p50 ${r.p50Ms.toFixed(2)} ms p99 ${r.p99Ms.toFixed(2)} ms errors ${r.errors} CPU ${(r.cpuUsPerRequest ?? 0).toFixed(1)} µs/req`);
                }
            }
            // Each server's rate: 70 % of its capacity under arrivals one at a time (open-rate.ts).
            const chosen = new Map<TargetId, { rate: number; basis: OpenRateBasis; probes: ProbeRun[] }>();
            for (const t of targets) {
                const s = serverOf(servers, t);
                focus(t);
                const probes: ProbeRun[] = [];
                const picked = await calibrateOpenRate(medians(closed.get(t) ?? []).rps, { ...OPEN_RATE_POLICY, cap: options.maxRate }, async (rate) => {
                    const r = await withCpu(s.started, () => openRun(s.base, p, rate, probeSeconds(options.durationS)));
                    probes.push({ rate, figures: r });
                    say(`  ${p.id} probe @${rate}/s ${TARGETS[t].letter}: core ${((r.busyShare ?? 0) * 100).toFixed(0)} % busy, p99 ${r.p99Ms.toFixed(2)} ms`);
                    return r.busyShare ?? Number.NaN;
                });
                chosen.set(t, { rate: picked.rate, basis: picked.basis, probes });
            }
            const rateOf = (t: TargetId): { rate: number; basis: OpenRateBasis; probes: ProbeRun[] } => {
                const c = chosen.get(t);
                if (c === undefined) {
                    throw new Error(`no fixed rate chosen for ${t}`);
                }
                return c;
            };
            const open = new Map<TargetId, RunFigures[]>(targets.map((t) => [t, []]));
            for (let run = 1; run <= options.runs; run++) {
                for (const t of targets) {
                    const s = serverOf(servers, t);
                    focus(t);
                    const { rate } = rateOf(t);
                    const sampler = new RssSampler(s.started.pid);
                    const r = await withCpu(s.started, () => openRun(s.base, p, rate, options.durationS));
                    peakRss[t] = Math.max(peakRss[t] ?? 0, sampler.stop());
                    open.get(t)?.push(r);
                    say(`  ${p.id} @${rate}/s run ${run} ${TARGETS[t].letter}: ${r.rps.toFixed(0)} req/s p50 ${r.p50Ms.toFixed(2)} ms p99 ${r.p99Ms.toFixed(2)} ms errors ${r.errors} CPU ${(r.cpuUsPerRequest ?? 0).toFixed(1)} µs/req, core ${((r.busyShare ?? 0) * 100).toFixed(0)} % busy, GC ${((r.gcPausedShare ?? 0) * 1000).toFixed(0)} ms/s (longest ${(r.gcMaxPauseMs ?? 0).toFixed(1)} ms), sender lag ${(r.maxSendLagMs ?? 0).toFixed(1)} ms`);
                }
            }
            for (const t of targets) {
                const { rate, basis, probes } = rateOf(t);
                cells.push({ target: t, path: p.id, closed: closed.get(t) ?? [], open: open.get(t) ?? [], openRate: rate, openRateCapped: basis === "cap", openRateBasis: basis, openProbes: probes });
            }
        }

        const result: BenchResult = {
            startedAt,
            machine: { nproc: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", node: process.version, pinned: canPin() },
            settings: {
                runs: options.runs,
                durationS: options.durationS,
                warmupS: options.warmupS,
                connections: options.connections,
                openFraction: OPEN_RATE_POLICY.fraction,
                openTargetBusy: OPEN_RATE_POLICY.targetBusy,
                maxOpenRps: options.maxRate,
            },
            cells,
            peakRss,
            idleRss,
        };
        const table = markdown(result, options.paths, options.targets);
        fs.writeFileSync(path.join(workDir, "results.json"), `${JSON.stringify(result, null, 2)}\n`);
        fs.writeFileSync(path.join(workDir, "results.md"), `${table}\n`);
        say("");
        say(table);
        say("");
        say(`bench: wrote ${path.relative(ROOT, path.join(workDir, "results.json"))} and results.md`);
    } finally {
        for (const s of servers.values()) {
            resumeGroup(s.started); // a stopped process cannot act on SIGTERM
            await stop(s.started);
        }
        await services.stop();
    }
}

function serverOf(servers: Map<TargetId, { started: Started; base: string }>, t: TargetId): { started: Started; base: string } {
    const s = servers.get(t);
    if (s === undefined) {
        throw new Error(`server ${t} was not started`);
    }
    return s;
}

function luaOf(files: Map<PathId, string>, id: PathId): string {
    const f = files.get(id);
    if (f === undefined) {
        throw new Error(`no Lua script for ${id}`);
    }
    return f;
}

/**
 * One request that must succeed before anything is measured: a benchmark of a path
 * that answers errors measures the error path. Also warms `next dev`'s compiler.
 */
async function checkedAnswer(base: string, p: BenchPath, body: string | undefined): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
    const target = `${base}${p.urlPath}`;
    const res = await httpRequest(target, p.method, body, 180_000);
    if (res.status !== 200 || /"error"\s*:/.test(res.body)) {
        throw new Error(`${p.id} at ${target} answered ${res.status}: ${res.body.slice(0, 300)}`);
    }
    return res;
}

/** The servers that replay the production server's answers (tools/bench/ceiling-support.ts). */
const CEILINGS: ReadonlySet<TargetId> = new Set(["ceiling", "proxy-ceiling", "cache-ceiling", "proxy-cache-ceiling"]);

/** A ceiling must put the production server's headers on the wire, or b/c compares different answers. */
function sameHeaders(t: TargetId, p: PathId, got: Readonly<Record<string, string>>, want: Readonly<Record<string, string>>): void {
    const names = [...new Set([...Object.keys(got), ...Object.keys(want)])].sort();
    const differ = names.filter((n) => got[n] !== want[n]);
    if (differ.length > 0) {
        throw new Error(`${TARGETS[t].label} answers ${p} with other headers than the production server: ${differ.map((n) => `${n}: ${got[n]} ≠ ${want[n]}`).join("; ")}`);
    }
}

function pathOf(paths: readonly BenchPath[], id: PathId): BenchPath {
    const found = paths.find((p) => p.id === id);
    if (found === undefined) {
        throw new Error(`no bench path ${id}`);
    }
    return found;
}

/**
 * Runs `measure` against the server and adds what the server spent on it: CPU µs per
 * request, its CPU time over the run's wall time (its share of a core), and the garbage
 * collection pauses its log shows for the run (tools/bench/gc-observer.ts).
 */
async function withCpu(server: Started, measure: () => Promise<RunFigures>): Promise<RunFigures> {
    const logBefore = fileSize(server.logFile);
    const cpuBefore = treeCpuMs(server.pid);
    const startedAt = performance.now();
    const r = await measure();
    const cpuMs = treeCpuMs(server.pid) - cpuBefore;
    const wallMs = performance.now() - startedAt;
    const gc = gcPauses(readFrom(server.logFile, logBefore));
    return {
        ...r,
        cpuUsPerRequest: (cpuMs * 1000) / Math.max(1, r.requests),
        busyShare: cpuMs / wallMs,
        gcPausedShare: gc.totalMs / wallMs,
        gcMaxPauseMs: gc.maxMs,
    };
}

function fileSize(file: string): number {
    try {
        return fs.statSync(file).size;
    } catch {
        return 0;
    }
}

/** The text appended to `file` since it was `offset` bytes long. */
function readFrom(file: string, offset: number): string {
    const fd = fs.openSync(file, "r");
    try {
        const length = Math.max(0, fs.fstatSync(fd).size - offset);
        const buffer = Buffer.alloc(length);
        fs.readSync(fd, buffer, 0, length, offset);
        return buffer.toString("utf8");
    } finally {
        fs.closeSync(fd);
    }
}

/** A probe is short: it only has to read how busy the server's core is at a rate. */
function probeSeconds(durationS: number): number {
    return Math.min(durationS, 3);
}

async function openRun(base: string, p: BenchPath, rate: number, durationS: number): Promise<RunFigures> {
    const tag = nextTag();
    const run = await runLoad({
        target: new URL(`${base}${p.urlPath}`),
        rps: rate,
        durationMs: durationS * 1000,
        warmupMs: 0,
        timeoutMs: 10_000,
        connections: 1024,
        method: p.method,
        body: (index) => p.body(tag, index) ?? "",
        checkRpcErrors: false,
    });
    const s = summarize(run);
    return {
        rps: s.achievedRps,
        p50Ms: s.latencyMs.p50,
        p99Ms: s.latencyMs.p99,
        errors: s.errors,
        requests: s.scheduled,
        maxSendLagMs: s.maxSendLagMs,
    };
}

main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
});
