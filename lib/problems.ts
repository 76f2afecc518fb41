/**
 * A single thing wrong with the configuration: which key, what was given, and what is
 * allowed. Validation collects every problem before failing, so one `pulumi preview`
 * tells the user everything to fix at once.
 */
export interface ConfigProblem {
    /** The config key as the user writes it, e.g. `webfleet:replicas`. */
    readonly key: string;
    /** The value the user gave, rendered for humans (`(unset)` when missing). */
    readonly given: string;
    /** What is allowed, or what to change, in one sentence. */
    readonly allowed: string;
}

/** The project name; config keys are `webfleet:<key>`. */
export const PROJECT = "webfleet";

/** `replicas` → `webfleet:replicas` (or `<project>:replicas`); keys that already carry a namespace are kept. */
export function qualify(key: string, project: string = PROJECT): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

export function problem(key: string, given: unknown, allowed: string): ConfigProblem {
    return { key: qualify(key), given: render(given), allowed };
}

/** Renders a given value so that `"4"`, `4` and a missing value read differently. */
export function render(value: unknown): string {
    if (value === undefined) {
        return "(unset)";
    }
    if (typeof value === "string") {
        return JSON.stringify(value);
    }
    return String(value);
}

/**
 * Thrown when configuration is invalid. The message lists every problem, one per line,
 * so it reads well in `pulumi preview` output and in CI logs.
 */
export class ConfigError extends Error {
    public readonly problems: readonly ConfigProblem[];

    constructor(problems: readonly ConfigProblem[], stack?: string) {
        super(formatProblems(problems, stack));
        this.name = "ConfigError";
        this.problems = problems;
    }
}

export function formatProblems(problems: readonly ConfigProblem[], stack?: string): string {
    const where = stack ? ` for stack "${stack}"` : "";
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((p) => `  - ${p.key} = ${p.given}: ${p.allowed}`);
    return [
        `webfleet configuration has ${count}${where}:`,
        ...lines,
        "Fix these with `pulumi config set <key> <value>` or by editing Pulumi.<stack>.yaml.",
    ].join("\n");
}
