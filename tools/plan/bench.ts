/**
 * `npm run bench:plan -- [--runs 5] [--baseline <checkout>]`: how long the offline plan
 * takes, as a user waits for it (wall clock of the whole command), median of N runs:
 * one plan (dev, prod), `--against` (prod + replicas=6 against prod), and a usage error.
 *
 * With --baseline <dir> (another checkout of the repository, e.g. an older commit
 * unpacked with `git archive <ref> | tar -x -C <dir>` and its node_modules linked), the
 * same commands run there too, interleaved run by run with this checkout's, so both see
 * the same machine load; the report gives the ratio of the medians. Targets (issue 9):
 * one plan ≤ 3 s, --against ≤ 5 s on an idle 2-core machine. This prints figures; it
 * asserts nothing (timings belong in benchmarks, not tests).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT, TS_HOOK } from "../mock-runner/launch";

interface Case {
    readonly name: string;
    readonly args: readonly string[];
    /** 0 for a plan, 1 for the usage error. */
    readonly status: number;
}

const CASES: readonly Case[] = [
    { name: "plan dev", args: ["--stack", "dev"], status: 0 },
    { name: "plan prod", args: ["--stack", "prod"], status: 0 },
    { name: "--against (prod replicas=6 vs prod)", args: ["--stack", "prod", "--set", "replicas=6", "--against", "prod"], status: 0 },
    { name: "usage error", args: ["--stak", "dev"], status: 1 },
];

interface Target {
    readonly label: string;
    readonly cwd: string;
    /** Node arguments before the plan's own. */
    readonly node: readonly string[];
}

function parse(argv: readonly string[]): { runs: number; baseline: string | undefined } {
    let runs = 5;
    let baseline: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        if (flag === "--runs" && value !== undefined && /^\d+$/.test(value) && Number(value) > 0) {
            runs = Number(value);
            i++;
        } else if (flag === "--baseline" && value !== undefined) {
            baseline = path.resolve(value);
            i++;
        } else {
            throw new Error(`usage: npm run bench:plan -- [--runs N] [--baseline <checkout>]; got ${JSON.stringify(flag)}`);
        }
    }
    if (baseline !== undefined && !fs.existsSync(path.join(baseline, "tools", "plan", "plan.ts"))) {
        throw new Error(`--baseline ${baseline} has no tools/plan/plan.ts`);
    }
    return { runs, baseline };
}

/** Seconds the command took, or throws with its stderr when it exits other than expected. */
function time(target: Target, c: Case): number {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [...target.node, path.join(target.cwd, "tools", "plan", "plan.ts"), ...c.args], {
        cwd: target.cwd,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== c.status) {
        throw new Error(`${target.label} "${c.name}" exited ${String(r.status)}: ${r.stderr.slice(0, 500)}`);
    }
    return seconds;
}

function median(xs: readonly number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function main(): void {
    const { runs, baseline } = parse(process.argv.slice(2));
    const targets: Target[] = [{ label: "this checkout (cached TS hook)", cwd: ROOT, node: ["-r", TS_HOOK] }];
    if (baseline !== undefined) {
        targets.push({ label: `baseline ${baseline} (ts-node -T)`, cwd: baseline, node: ["-r", "ts-node/register/transpile-only"] });
    }
    const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    process.stdout.write(`offline plan wall-clock times, median of ${runs} (node ${process.version}, load average at start ${load})\n`);
    // Warm-up: fills the TS cache, so the figures are what a user sees from the second run on.
    for (const t of targets) {
        time(t, CASES[0]);
    }
    const results = new Map<string, number[]>();
    for (let i = 0; i < runs; i++) {
        for (const c of CASES) {
            for (const t of targets) {
                const key = `${t.label}\u0000${c.name}`;
                results.set(key, [...(results.get(key) ?? []), time(t, c)]);
            }
        }
    }
    for (const c of CASES) {
        const medians = targets.map((t) => median(results.get(`${t.label}\u0000${c.name}`) ?? []));
        const ratio = medians.length === 2 ? `   new/old ${(medians[0] / medians[1]).toFixed(2)}` : "";
        process.stdout.write(`  ${c.name.padEnd(38)} ${medians.map((m, i) => `${targets[i].label.split(" ")[0]} ${m.toFixed(2)} s`).join("   ")}${ratio}\n`);
    }
    process.stdout.write(`load average at end ${fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}\n`);
}

try {
    main();
} catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
}
