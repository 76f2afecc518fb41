/**
 * `npm run plan -- --stack <name> [--set key=value ...] [--against <stack>] [--json] [--resources]`
 *
 * Runs the program under Pulumi mocks with the config the CLI would give it (Pulumi.yaml
 * defaults + Pulumi.<stack>.yaml + --set, refused where the CLI would refuse it), and prints
 * what a reviewer needs: with --against, the changes first (like `pulumi preview`), then
 * the capacity plan, the monthly cost (and its change), and the resources (listed with
 * --resources). No network, no credentials, no Pulumi CLI.
 *
 * The program module is cached and Pulumi's runtime is global, so one process runs one
 * stack: with --against, the other side runs in a child process (tools/mock-runner/launch.ts)
 * at the same time as this one.
 */
import { CostEstimate, estimateCost } from "../../lib/cost";
import { formatTransition, readTransition } from "../../lib/transition-format";
import { launch, lastJsonLine } from "../mock-runner/launch";
import { loadStackConfig } from "../mock-runner/stack-config";
import { PlanArgs, USAGE, parsePlanArgs } from "./args";
import { costItems } from "./cost-inputs";
import { DiffableResource, StackDiff, diffRuns } from "./diff";
import { formatCapacity, formatChanges, formatCost, formatCostChange, formatResources, resourcesSummary } from "./format";
import { Plan, RecordedResource, buildPlan } from "./model";

/** One side of a plan: the program run, reduced to what the plan, diff and cost need. */
interface Side {
    readonly stack: string;
    readonly overrides: Readonly<Record<string, string>>;
    readonly config: Readonly<Record<string, string>>;
    readonly resources: readonly RecordedResource[];
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** Failures whose message is the whole story: bad config (as a preview prints it), bad arguments, missing stack files. */
function isExpected(e: unknown): e is Error {
    return e instanceof Error && ["ConfigError", "UsageError", "StackConfigError"].includes(e.name);
}

/**
 * `deployed`: the outputs of the side that stands for what is deployed (--against), which the
 * program reads back as its stack's last outputs, so this side plans the change from it
 * (lib/transition.ts: the pool this `up` sets may be below the target).
 */
async function runHere(stack: string, overrides: Readonly<Record<string, string>>, deployed?: Readonly<Record<string, unknown>>): Promise<Side> {
    // Config errors first, before the Pulumi SDK and the AWS provider are loaded (seconds).
    loadStackConfig(stack, overrides);
    const { runProgram } = await import("../mock-runner/run-program");
    const run = await runProgram(stack, overrides, deployed === undefined ? {} : { previousOutputs: { capacityPlan: deployed["capacityPlan"] } });
    return { stack, overrides, config: run.config, resources: run.resources, outputs: run.outputs };
}

function isSide(v: unknown): v is Side {
    return typeof v === "object" && v !== null && "stack" in v && "resources" in v && Array.isArray(v.resources) && "outputs" in v && "config" in v && "overrides" in v;
}

function toArgv(stack: string, overrides: Readonly<Record<string, string>>): string[] {
    return ["--stack", stack, ...Object.entries(overrides).flatMap(([k, v]) => ["--set", `${k}=${v}`]), "--emit-run"];
}

/** Thrown when the child already said what is wrong on stderr: print that, nothing more. */
class ChildFailed extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ChildFailed";
    }
}

function region(side: Side): string {
    return side.config["aws:region"] ?? "us-east-1";
}

interface Planned {
    readonly plan: Plan;
    readonly cost: CostEstimate;
    readonly side: Side;
}

function planOf(side: Side): Planned {
    return { plan: buildPlan(side), cost: estimateCost(region(side), costItems(side.resources)), side };
}

async function main(args: PlanArgs): Promise<void> {
    if (args.emitRun) {
        // Child mode (see launch.ts): one side, as JSON on the last line.
        process.stdout.write(`\n${JSON.stringify(await runHere(args.stack, args.overrides))}\n`);
        return;
    }
    let before: Planned | undefined;
    let after: Planned;
    if (args.against === undefined) {
        after = planOf(await runHere(args.stack, args.overrides));
    } else {
        // The --against side stands for what is deployed; this side plans its change from
        // it, so the two run one after the other (the child first).
        const other = args.against;
        loadStackConfig(args.stack, args.overrides); // this side's config errors before any work
        const child = launch({ script: __filename, args: toArgv(other.stack, other.overrides) });
        const done = await child.done;
        if (done.status !== 0) {
            throw new ChildFailed(done.stderr.trim() || `planning ${other.stack} failed (exit ${done.status})`);
        }
        const side = lastJsonLine(done.stdout);
        if (!isSide(side)) {
            throw new Error(`planning ${other.stack} returned no plan`);
        }
        before = planOf(side);
        after = planOf(await runHere(args.stack, args.overrides, side.outputs));
    }
    const transition = before === undefined ? undefined : readTransition(after.side.outputs["capacityPlan"]);
    const diff: StackDiff | undefined = before === undefined ? undefined : diffRuns(before.side, after.side);
    if (args.json) {
        const out = {
            plan: after.plan,
            cost: after.cost,
            ...(transition ? { transition } : {}),
            ...(before && diff ? { against: { plan: before.plan, cost: before.cost }, diff, costChange: { monthly: round(after.cost.total - before.cost.total), monthlyAtCeiling: round(after.cost.totalMax - before.cost.totalMax) } } : {}),
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
    }
    const sections: string[][] = [];
    if (before && diff) {
        const resources: readonly DiffableResource[] = after.side.resources;
        sections.push(formatChanges(before.plan, after.plan, diff, resources));
        sections.push(formatCostChange(before.cost, after.cost));
    }
    sections.push(formatCapacity(after.plan));
    if (transition !== undefined) {
        sections.push(formatTransition(transition, args.against?.stack));
    }
    sections.push(formatCost(after.cost));
    // Warnings about the config (e.g. issue 15's allowPlainHttp line) belong here, before the resources.
    sections.push(args.resources ? formatResources(after.plan) : [resourcesSummary(after.plan)]);
    process.stdout.write(`${sections.map((s) => s.join("\n")).join("\n\n")}\n`);
}

function round(n: number): number {
    return Math.round(n * 100) / 100;
}

function fail(e: unknown): never {
    if (isExpected(e) || e instanceof ChildFailed) {
        process.stderr.write(`${e.message}\n`);
    } else {
        // Unexpected: still one message; the trace only on request.
        const message = e instanceof Error ? e.message : String(e);
        process.stderr.write(`plan failed: ${message}\n${process.env["WEBFLEET_DEBUG"] && e instanceof Error ? `${e.stack ?? ""}\n` : "(set WEBFLEET_DEBUG=1 for the stack trace)\n"}`);
    }
    process.exit(1);
}

process.on("unhandledRejection", fail);
try {
    const args = parsePlanArgs(process.argv.slice(2));
    if (args.help) {
        process.stdout.write(`${USAGE}\n`);
    } else {
        main(args).catch(fail);
    }
} catch (e) {
    fail(e);
}
