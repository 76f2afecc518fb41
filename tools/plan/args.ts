/**
 * Arguments of `npm run plan`: which config to run the program with, and optionally a
 * second one to compare against.
 */
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

export class UsageError extends Error {
    constructor(message: string) {
        super(`${message}\n\n${USAGE}`);
        this.name = "UsageError";
    }
}

function keyValue(flag: string, text: string | undefined): [string, string] {
    const eq = text?.indexOf("=") ?? -1;
    if (text === undefined || eq < 1) {
        throw new UsageError(`${flag} needs key=value, got ${JSON.stringify(text ?? "")}`);
    }
    return [text.slice(0, eq), text.slice(eq + 1)];
}

export function parsePlanArgs(argv: readonly string[]): PlanArgs {
    let stack: string | undefined;
    let againstStack: string | undefined;
    let json = false;
    let resources = false;
    let help = false;
    let emitRun = false;
    const overrides: Record<string, string> = {};
    const againstOverrides: Record<string, string> = {};
    let compare = false;
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = (): string => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) {
                throw new UsageError(`${flag} needs a value`);
            }
            return v;
        };
        switch (flag) {
            case "--stack":
                stack = value();
                break;
            case "--set": {
                const [k, v] = keyValue(flag, argv[++i]);
                overrides[k] = v;
                break;
            }
            case "--against":
                againstStack = value();
                compare = true;
                break;
            case "--against-set": {
                const [k, v] = keyValue(flag, argv[++i]);
                againstOverrides[k] = v;
                compare = true;
                break;
            }
            case "--json":
                json = true;
                break;
            case "--resources":
                resources = true;
                break;
            case "--help":
            case "-h":
                help = true;
                break;
            case "--emit-run":
                emitRun = true;
                break;
            default:
                throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
        }
    }
    if (help) {
        return { stack: stack ?? "", overrides, json, resources, help, emitRun };
    }
    if (stack === undefined) {
        throw new UsageError("--stack is required");
    }
    if (compare && emitRun) {
        throw new UsageError("--emit-run runs one side; it cannot be combined with --against");
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
