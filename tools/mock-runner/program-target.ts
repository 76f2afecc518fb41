/** Which stack (and overrides) this program-test process runs; set by scripts/program-tests.js. */
export interface ProgramTarget {
    readonly stack: string;
    readonly overrides: Readonly<Record<string, string>>;
    /** Config passed to the program past the loader's checks (run-program.ts RunOptions.unchecked). */
    readonly unchecked: Readonly<Record<string, string>>;
    readonly label: string;
    /** The outputs of the stack's previous `up` (WEBFLEET_PREVIOUS_OUTPUTS), or undefined for a first deploy. */
    readonly previousOutputs: Record<string, unknown> | undefined;
}

export function programTarget(): ProgramTarget {
    const stack = process.env["WEBFLEET_STACK"];
    if (!stack) {
        throw new Error("WEBFLEET_STACK is not set: run program tests through `npm run test:program` (one stack per process)");
    }
    const overrides = stringMap("WEBFLEET_OVERRIDES");
    const unchecked = stringMap("WEBFLEET_UNCHECKED");
    const extras = Object.entries({ ...overrides, ...unchecked }).map(([k, v]) => `${k}=${v}`);
    const rawPrevious = process.env["WEBFLEET_PREVIOUS_OUTPUTS"];
    let previousOutputs: Record<string, unknown> | undefined;
    if (rawPrevious !== undefined && rawPrevious !== "") {
        const previous: unknown = JSON.parse(rawPrevious);
        if (typeof previous !== "object" || previous === null || Array.isArray(previous)) {
            throw new Error(`WEBFLEET_PREVIOUS_OUTPUTS must be a JSON object of stack outputs, got ${rawPrevious}`);
        }
        previousOutputs = Object.fromEntries(Object.entries(previous));
        extras.push("after a previous up");
    }
    return { stack, overrides, unchecked, label: extras.length ? `${stack} (${extras.join(", ")})` : stack, previousOutputs };
}

function stringMap(variable: string): Record<string, string> {
    const raw = process.env[variable] ?? "{}";
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new Error(`${variable} must be a JSON object of strings, got ${raw}`);
    }
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed)) {
        if (typeof value !== "string") {
            throw new Error(`${variable}.${key} must be a string, got ${JSON.stringify(value)}`);
        }
        out[key] = value;
    }
    return out;
}
