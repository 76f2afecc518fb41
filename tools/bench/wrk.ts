/**
 * Fixed-concurrency runs with wrk (Debian's wrk 4): a C load generator that costs far
 * less CPU per request than any Node client, so on this 2-core machine the server, not
 * the generator, is what gets measured. Request bodies come from a Lua script.
 */
import { spawn } from "node:child_process";
import { LOAD_CPU, pinned } from "./proc";

export interface WrkRun {
    readonly requests: number;
    readonly rps: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    /** Socket errors (connect, read, write, timeout) plus non-2xx/3xx answers. */
    readonly errors: number;
}

export interface WrkOptions {
    readonly url: string;
    readonly luaScript: string;
    readonly connections: number;
    readonly durationS: number;
    /** Passed to the Lua script's init(args): keeps cache-miss keys unique per run. */
    readonly scriptArgs?: readonly string[];
}

export async function runWrk(options: WrkOptions): Promise<WrkRun> {
    const args = [
        "-t1",
        `-c${options.connections}`,
        `-d${options.durationS}s`,
        // A request still unanswered after 10 s is a timeout error, as in the load test.
        "--timeout",
        "10s",
        "--latency",
        "-s",
        options.luaScript,
        options.url,
        ...(options.scriptArgs && options.scriptArgs.length > 0 ? ["--", ...options.scriptArgs] : []),
    ];
    const [cmd, argv] = pinned(LOAD_CPU, "wrk", args);
    const output = await new Promise<string>((resolve, reject) => {
        const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (out += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}: ${out}`))));
    });
    return parseWrk(output);
}

/** Reads wrk 4's text report (`--latency` adds the percentile table). */
export function parseWrk(output: string): WrkRun {
    const number = (re: RegExp): number => {
        const m = re.exec(output);
        return m === null ? 0 : Number(m[1]);
    };
    const requests = number(/(\d+) requests in /);
    const rps = number(/Requests\/sec:\s+([\d.]+)/);
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
    const socketErrors = socket === null ? 0 : socket.slice(1).reduce((sum, n) => sum + Number(n), 0);
    const non2xx = number(/Non-2xx or 3xx responses: (\d+)/);
    if (!/Requests\/sec:/.test(output)) {
        throw new Error(`wrk printed no result:\n${output}`);
    }
    return {
        requests,
        rps,
        p50Ms: latencyMs(output, "50%"),
        p99Ms: latencyMs(output, "99%"),
        errors: socketErrors + non2xx,
    };
}

function latencyMs(output: string, pct: string): number {
    const m = new RegExp(`^\\s+${pct}\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m").exec(output);
    if (m === null) {
        return Number.NaN;
    }
    const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
    return Number(m[1]) * scale[m[2]];
}
