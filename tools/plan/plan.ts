/**
 * `npm run plan -- --stack <name> [--set key=value ...] [--against ...] [--json]`
 *
 * Runs the program under Pulumi mocks with the config the CLI would give it (the test
 * loader: Pulumi.yaml defaults + Pulumi.<stack>.yaml + --set), and prints the capacity
 * plan and the resources by component. No network, no credentials, no Pulumi CLI.
 *
 * The program module is cached and Pulumi's runtime is global, so one process can run one
 * stack. With --against, this script runs itself twice with --json, one child per side,
 * and diffs the results.
 */
import { spawnSync } from "child_process";
import { formatTransition } from "../../lib/transition-format";
import { runProgram } from "../mock-runner/run-program";
import { PlanArgs, parsePlanArgs } from "./args";
import { formatDiff, formatPlan } from "./format";
import { Plan, buildPlan } from "./model";

/** Failures whose message is the whole story: bad config (as a preview prints it), bad arguments. */
function isExpected(e: unknown): e is Error {
    return e instanceof Error && (e.name === "ConfigError" || e.name === "UsageError" || /^Stack '.*'/.test(e.message));
}

/** The deployed side's outputs, handed to the other side's run as its stack's last outputs. */
const PREVIOUS_ENV = "WEBFLEET_PREVIOUS_OUTPUTS";

async function planInProcess(stack: string, overrides: Readonly<Record<string, string>>): Promise<Plan> {
    const previous = process.env[PREVIOUS_ENV];
    const run = await runProgram(stack, overrides, previous ? JSON.parse(previous) : undefined);
    return buildPlan({ ...run, overrides });
}

function toArgv(stack: string, overrides: Readonly<Record<string, string>>): string[] {
    return ["--stack", stack, ...Object.entries(overrides).flatMap(([k, v]) => ["--set", `${k}=${v}`]), "--json"];
}

/** Plans one side in a child process; its stderr (a config error, say) passes through. */
function planInChild(stack: string, overrides: Readonly<Record<string, string>>, deployed?: Plan): Plan {
    const previous = deployed === undefined ? "" : JSON.stringify({ capacityPlan: deployed.capacityOutput });
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, ...toArgv(stack, overrides)], {
        env: { ...process.env, [PREVIOUS_ENV]: previous },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 64 * 1024 * 1024,
    });
    if (child.status !== 0) {
        process.exit(child.status ?? 1);
    }
    // The plan is the last line; anything the program logged comes before it.
    const last = child.stdout.trim().split("\n").pop() ?? "";
    const plan: Plan = JSON.parse(last);
    return plan;
}

async function main(args: PlanArgs): Promise<void> {
    if (args.json) {
        process.stdout.write(`\n${JSON.stringify(await planInProcess(args.stack, args.overrides))}\n`);
        return;
    }
    if (args.against === undefined) {
        process.stdout.write(formatPlan(await planInProcess(args.stack, args.overrides)));
        return;
    }
    const before = planInChild(args.against.stack, args.against.overrides);
    // The `against` side is what is deployed: the other side plans its change from it.
    const after = planInChild(args.stack, args.overrides, before);
    const change = after.transition === undefined ? [] : formatTransition(after.transition, args.against.stack);
    process.stdout.write(`${formatPlan(after)}\n${change.map((l) => `${l}\n`).join("")}${change.length > 0 ? "\n" : ""}${formatDiff(before, after)}`);
}

function fail(e: unknown): never {
    process.stderr.write(`${isExpected(e) ? e.message : e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
}

try {
    main(parsePlanArgs(process.argv.slice(2))).catch(fail);
} catch (e) {
    fail(e);
}
