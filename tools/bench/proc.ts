/**
 * Processes for the benchmark: start a server pinned to one core, wait until it answers,
 * read the resident memory of its whole process tree, and stop it again.
 *
 * Pinning matters on a 2-core machine: the server gets one core to itself (a Fargate
 * task has 1 vCPU), and the load generator, Redis, Postgres and the upstream stub share
 * the other, so the generator never steals the server's CPU.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";

export const SERVER_CPU = 1;
export const LOAD_CPU = 0;

let tasksetChecked: boolean | undefined;

/** True when `taskset` exists and the machine has at least two CPUs to pin to. */
export function canPin(): boolean {
    if (tasksetChecked === undefined) {
        const probe = spawnSync("taskset", ["-c", "0", "true"]);
        tasksetChecked = probe.status === 0 && spawnSync("nproc").stdout.toString().trim() !== "1";
    }
    return tasksetChecked;
}

/** `cmd args` prefixed by `taskset -c <cpu>` when pinning is possible. */
export function pinned(cpu: number, cmd: string, args: readonly string[]): [string, string[]] {
    return canPin() ? ["taskset", ["-c", String(cpu), cmd, ...args]] : [cmd, [...args]];
}

/** Pins this process and its threads (the fixed-rate generator runs in it) to `cpu`. */
export function pinSelf(cpu: number): boolean {
    if (!canPin()) {
        return false;
    }
    return spawnSync("taskset", ["-a", "-p", "-c", String(cpu), String(process.pid)]).status === 0;
}

export interface Started {
    readonly child: ChildProcess;
    readonly pid: number;
    /** Where its stdout and stderr go, for reading after a failure. */
    readonly logFile: string;
}

export function startPinned(
    cpu: number,
    cmd: string,
    args: readonly string[],
    options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly logFile: string },
): Started {
    const log = fs.openSync(options.logFile, "w");
    const [file, argv] = pinned(cpu, cmd, args);
    // Own process group (detached), so stopping it also stops the children `next dev` forks.
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env, stdio: ["ignore", log, log], detached: true });
    fs.closeSync(log);
    if (child.pid === undefined) {
        throw new Error(`could not start ${cmd}`);
    }
    return { child, pid: child.pid, logFile: options.logFile };
}

/** SIGTERM to the server's process group, SIGKILL if it has not exited after `graceMs`. */
export async function stop(started: Started, graceMs = 5000): Promise<void> {
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
        return;
    }
    const exited = new Promise<void>((resolve) => started.child.once("exit", () => resolve()));
    signalGroup(started.pid, "SIGTERM");
    const timer = setTimeout(() => signalGroup(started.pid, "SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
    // Children of the group that outlived the leader (next dev's workers).
    signalGroup(started.pid, "SIGKILL");
}

/** Freezes a server's whole process group (SIGSTOP): it uses no CPU until resumed. */
export function pauseGroup(started: Started): void {
    signalGroup(started.pid, "SIGSTOP");
}

export function resumeGroup(started: Started): void {
    signalGroup(started.pid, "SIGCONT");
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(-pid, signal);
    } catch {
        // Already gone.
    }
}

/** One HTTP request; resolves with status and body, rejects on transport errors. */
export function httpRequest(
    url: string,
    method: "GET" | "POST",
    body?: string,
    timeoutMs = 30_000,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
    return new Promise((resolve, reject) => {
        const req = http.request(
            url,
            { method, headers: body === undefined ? {} : { "content-type": "application/json" }, timeout: timeoutMs },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () =>
                    resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }),
                );
                res.on("error", reject);
            },
        );
        req.on("timeout", () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
        req.on("error", reject);
        req.end(body);
    });
}

/** Polls `url` until it answers 200 (the server is up), or fails after `timeoutMs`. */
export async function waitForOk(url: string, started: Started, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer yet";
    while (Date.now() < deadline) {
        if (started.child.exitCode !== null) {
            throw new Error(`server exited with ${started.child.exitCode}; see ${started.logFile}`);
        }
        try {
            const res = await httpRequest(url, "GET", undefined, 60_000);
            if (res.status === 200) {
                return;
            }
            last = `HTTP ${res.status}`;
        } catch (error) {
            last = error instanceof Error ? error.message : String(error);
        }
        await sleep(250);
    }
    throw new Error(`${url} not ready after ${timeoutMs} ms (${last}); see ${started.logFile}`);
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `pid` and all its descendants (`next dev` runs the app in a forked child). */
function treePids(pid: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        const ppid = Number(statFields(Number(entry))[1]);
        if (Number.isFinite(ppid)) {
            children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
        }
    }
    const found: number[] = [];
    const queue = [pid];
    while (queue.length > 0) {
        const p = queue.pop() ?? 0;
        found.push(p);
        queue.push(...(children.get(p) ?? []));
    }
    return found;
}

/**
 * /proc/<pid>/stat from field 3 (state) on: field N is at index N − 3. The command name
 * before it is in parentheses and may contain spaces.
 */
function statFields(pid: number): string[] {
    const stat = readOrEmpty(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/**
 * Resident memory (VmRSS) of `pid` and all its descendants, in bytes. `next dev` runs
 * the app in a forked child, so the leader's RSS alone would miss most of it.
 */
export function treeRssBytes(pid: number): number {
    let total = 0;
    for (const p of treePids(pid)) {
        const match = /VmRSS:\s+(\d+) kB/.exec(readOrEmpty(`/proc/${p}/status`));
        total += match === null ? 0 : Number(match[1]) * 1024;
    }
    return total;
}

let ticksPerSecond: number | undefined;

/**
 * CPU time (user + system, ms) that `pid` and its descendants have used so far. Taken
 * before and after a run and divided by the requests answered, it gives the CPU cost of
 * one request: a figure that other processes on the machine barely move, unlike req/s.
 */
export function treeCpuMs(pid: number): number {
    if (ticksPerSecond === undefined) {
        const clk = Number(spawnSync("getconf", ["CLK_TCK"]).stdout?.toString().trim());
        ticksPerSecond = Number.isFinite(clk) && clk > 0 ? clk : 100;
    }
    let ticks = 0;
    for (const p of treePids(pid)) {
        const fields = statFields(p);
        // utime (field 14) and stime (field 15), in clock ticks.
        const used = Number(fields[11]) + Number(fields[12]);
        ticks += Number.isFinite(used) ? used : 0;
    }
    return (ticks * 1000) / ticksPerSecond;
}

function readOrEmpty(file: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return "";
    }
}

/** Samples a process tree's RSS every `everyMs` until stopped; reports the peak. */
export class RssSampler {
    private peak = 0;
    private readonly timer: NodeJS.Timeout;

    constructor(private readonly pid: number, everyMs = 250) {
        this.sample();
        this.timer = setInterval(() => this.sample(), everyMs);
    }

    private sample(): void {
        this.peak = Math.max(this.peak, treeRssBytes(this.pid));
    }

    stop(): number {
        clearInterval(this.timer);
        this.sample();
        return this.peak;
    }
}
