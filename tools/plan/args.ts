/**
 * Arguments of `npm run plan`: which config to run the program with, and optionally a
 * second one to compare against. Read by the same scanner as the other tools' command
 * lines (tools/loadtest/args.ts), so every mistake is reported at once, in the same form.
 */
import { type ArgProblem, formatArgProblems, scanArgs } from "../loadtest/args";

export interface PlanArgs {
    readonly stack: string;
    readonly overrides: Readonly<Record<string, string>>;
    /** Set with --against or --against-set: the config the differences are measured from. */
    readonly against?: { readonly stack: string; readonly overrides: Readonly<Record<string, string>> };
    /** Print plan, cost and (with --against) the diff as one JSON document. */
    readonly json: boolean;
    /** List every resource with its settings (otherwise one summary line). */
    readonly resources: boolean;
    readonly help: boolean;
    /** Internal: print this side's program run as JSON (the child of an --against run). */
    readonly emitRun: boolean;
}

export const USAGE = `usage: npm run plan -- --stack <name> [--set key=value ...] [--against <stack>] [--against-set key=value ...] [--resources] [--json]

  --stack <name>        stack file to use (Pulumi.<name>.yaml over the Pulumi.yaml defaults)
  --set key=value       override a config key, as \`pulumi config set\` would (repeatable);
                        keys Pulumi.yaml does not declare are refused, as the CLI does
  --against <stack>     also plan this stack and show the changes from it first, like \`pulumi preview\`
  --against-set k=v     override a key on the --against side (repeatable; its stack defaults to --stack)
  --resources           list every resource with its settings
  --json                print plan, cost and (with --against) diff and cost change as JSON
  --help                this text

Examples:
  npm run plan -- --stack prod
  npm run plan -- --stack prod --set replicas=6 --against prod      (replicas 4 → 6)
  npm run plan -- --stack prod --against dev`;

/** Every problem with the command line at once, each naming the option, what was given and what is allowed; then the usage. */
export class UsageError extends Error {
    constructor(readonly problems: readonly ArgProblem[]) {
        super(`${formatArgProblems(problems, "plan")}\n\n${USAGE}`);
        this.name = "UsageError";
    }
}

const VALUE_OPTIONS = ["stack", "set", "against", "against-set"] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];
const FLAG_OPTIONS = ["json", "resources", "help", "emit-run"];

/** `key=value` pairs of a repeatable option; each malformed one is a problem. */
function keyValues(option: ValueOption, given: readonly string[], problems: ArgProblem[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const text of given) {
        const eq = text.indexOf("=");
        if (eq < 1) {
            problems.push({ option: `--${option}`, given: text, allowed: "key=value (a config key, then = and its value)" });
        } else {
            out[text.slice(0, eq)] = text.slice(eq + 1);
        }
    }
    return out;
}

export function parsePlanArgs(argv: readonly string[]): PlanArgs {
    // -h is the one short alias; the shared scanner knows only --names.
    const scanned = scanArgs<ValueOption>(argv.map((a) => (a === "-h" ? "--help" : a)), VALUE_OPTIONS, FLAG_OPTIONS, ["set", "against-set"]);
    const { values, lists, flags } = scanned;
    const problems = [...scanned.problems];
    const overrides = keyValues("set", lists.get("set") ?? [], problems);
    const againstOverrides = keyValues("against-set", lists.get("against-set") ?? [], problems);
    const stack = values.get("stack");
    const againstStack = values.get("against");
    const compare = againstStack !== undefined || lists.has("against-set");
    const help = flags.has("help");
    const json = flags.has("json");
    const resources = flags.has("resources");
    const emitRun = flags.has("emit-run");
    if (help) {
        return { stack: stack ?? "", overrides, json, resources, help, emitRun };
    }
    if (stack === undefined && !problems.some((p) => p.option === "--stack")) {
        problems.push({ option: "--stack", given: "(missing)", allowed: "the name of a stack file: --stack <name> reads Pulumi.<name>.yaml" });
    }
    if (compare && emitRun) {
        problems.push({ option: "--emit-run", given: "(with --against)", allowed: "one side only: it cannot be combined with --against or --against-set" });
    }
    if (problems.length > 0 || stack === undefined) {
        throw new UsageError(problems);
    }
    return {
        stack,
        overrides,
        json,
        resources,
        help,
        emitRun,
        ...(compare ? { against: { stack: againstStack ?? stack, overrides: againstOverrides } } : {}),
    };
}
