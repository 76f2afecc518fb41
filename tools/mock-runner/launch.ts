/**
 * The one way to run "one process per stack": a child Node process with the cached
 * TypeScript hook (ts-hook.js), its output collected. The program module is cached per
 * process and Pulumi's mock runtime is global, so each stack (or each mocha spec that runs
 * the program) gets its own process. Used by the plan (tools/plan/plan.ts), the program
 * and policy tests, and the plan's CLI tests.
 */
import { spawn, spawnSync } from "child_process";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
/** The require hook every child loads: transpiles .ts once, then runs from a cache. */
export const TS_HOOK = path.join(__dirname, "ts-hook.js");

export interface Launch {
    /** A .ts or .js file, absolute or relative to the repository root. */
    readonly script: string;
    readonly args?: readonly string[];
    /** Replaces the child's environment when given (tests run the plan with no credentials). */
    readonly env?: NodeJS.ProcessEnv;
    /** "inherit" streams the child's output (program tests); "pipe" collects it. */
    readonly stdio?: "pipe" | "inherit";
}

export interface Finished {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
}

function argv(l: Launch): string[] {
    return ["-r", TS_HOOK, path.resolve(ROOT, l.script), ...(l.args ?? [])];
}

/** Runs to completion and returns the exit status (1 when killed by a signal) and output. */
export function launchSync(l: Launch): Finished {
    const r = spawnSync(process.execPath, argv(l), {
        cwd: ROOT,
        env: l.env ?? process.env,
        encoding: "utf8",
        stdio: l.stdio === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"],
        maxBuffer: 256 * 1024 * 1024,
    });
    return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** The same, without blocking: several stacks run side by side. `kill()` stops the child. */
export function launch(l: Launch): { readonly done: Promise<Finished>; readonly kill: () => void } {
    const child = spawn(process.execPath, argv(l), { cwd: ROOT, env: l.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const done = new Promise<Finished>((resolve) => {
        child.on("error", (e) => resolve({ status: 1, stdout, stderr: `${stderr}${e.message}\n` }));
        child.on("close", (code) => resolve({ status: code ?? 1, stdout, stderr }));
    });
    return { done, kill: () => void child.kill() };
}

/** The JSON a child printed on its last line (anything the program logged comes before it). */
export function lastJsonLine(stdout: string): unknown {
    const last = stdout.trim().split("\n").pop() ?? "";
    try {
        return JSON.parse(last);
    } catch {
        throw new Error(`the child process printed no JSON result; its output ended with: ${last.slice(0, 200)}`);
    }
}
