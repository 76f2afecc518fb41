/**
 * Loads config the way the Pulumi CLI hands it to the program: the project's declared
 * defaults from Pulumi.yaml, overlaid by Pulumi.<stack>.yaml, then by `--set` overrides.
 * Pulumi's mocks never read these files, so without this the program under test would run
 * with no config at all, or with config that no real stack has.
 *
 * CLI behaviour reproduced here (pulumi/pulumi ValidateStackConfigAndApplyProjectConfig):
 * - project keys are namespaced with the project name (`replicas` → `webfleet:replicas`);
 * - a declared key missing from the stack takes its default; one without a default is an error;
 * - a stack value must match the declared type (integer, boolean, string);
 * - every value reaches the program as a string (`4` → "4", `true` → "true");
 * - a key of the project's namespace that Pulumi.yaml does not declare is refused, with the
 *   CLI's message (pulumi/pulumi#11127: "Stack 'prod' uses configuration value 'webfleet:foo'
 *   which is not defined by the project configuration"), plus a "did you mean" of our own.
 *   Other namespaces (aws:, pulumi:) are the providers' business and pass through.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { didYouMean } from "../../lib/did-you-mean";
import { isRecord } from "../../lib/is-record";
import { qualify as qualifyKey } from "../../lib/problems";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export type ConfigType = "string" | "integer" | "boolean";

export interface DeclaredKey {
    readonly type: ConfigType;
    readonly description: string;
    readonly default: string | number | boolean | undefined;
}

export interface ProjectFile {
    readonly name: string;
    readonly config: Readonly<Record<string, DeclaredKey>>;
}

/** A stack file or its config the CLI would refuse; the message is the whole story (no stack trace). */
export class StackConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackConfigError";
    }
}


function readYaml(file: string): Record<string, unknown> {
    if (!fs.existsSync(file)) {
        throw new StackConfigError(`${path.basename(file)} does not exist`);
    }
    let doc: unknown;
    try {
        doc = parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new StackConfigError(`${path.basename(file)} is not valid YAML: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
    if (!isRecord(doc)) {
        throw new StackConfigError(`${path.basename(file)} is not a YAML mapping`);
    }
    return doc;
}

export function readProjectFile(root = PROJECT_ROOT): ProjectFile {
    const doc = readYaml(path.join(root, "Pulumi.yaml"));
    const name = doc["name"];
    if (typeof name !== "string") {
        throw new StackConfigError("Pulumi.yaml has no project name");
    }
    const config: Record<string, DeclaredKey> = {};
    const declared = isRecord(doc["config"]) ? doc["config"] : {};
    for (const [key, decl] of Object.entries(declared)) {
        if (!isRecord(decl)) {
            throw new StackConfigError(`Pulumi.yaml config.${key} must be a schema with type, description and default`);
        }
        const type = decl["type"];
        if (type !== "string" && type !== "integer" && type !== "boolean") {
            throw new StackConfigError(`Pulumi.yaml config.${key}.type must be string, integer or boolean, got ${String(type)}`);
        }
        const dflt = decl["default"];
        if (dflt !== undefined && typeof dflt !== "string" && typeof dflt !== "number" && typeof dflt !== "boolean") {
            throw new StackConfigError(`Pulumi.yaml config.${key}.default must be a scalar`);
        }
        config[key] = { type, description: String(decl["description"] ?? ""), default: dflt };
    }
    return { name, config };
}

/** Stack names the repository has a Pulumi.<stack>.yaml for. */
export function listStacks(root = PROJECT_ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

function matchesType(type: ConfigType, value: unknown): boolean {
    switch (type) {
        case "integer":
            return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && /^-?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "string":
            return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
    }
}

function asConfigString(value: unknown): string {
    return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** The config map the CLI would pass for `stack`, keys fully qualified, values strings. */
export function loadStackConfig(
    stack: string,
    overrides: Readonly<Record<string, string>> = {},
    root = PROJECT_ROOT,
): Record<string, string> {
    const project = readProjectFile(root);
    const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        const existing = listStacks(root).map((s) => `Pulumi.${s}.yaml (${s})`);
        throw new StackConfigError(
            `no stack file Pulumi.${stack}.yaml for stack '${stack}'; stack files here: ${existing.length > 0 ? existing.join(", ") : "none"}`,
        );
    }
    const stackDoc = readYaml(stackFile);
    const stackConfig = isRecord(stackDoc["config"]) ? stackDoc["config"] : {};
    const qualify = (key: string): string => qualifyKey(key, project.name);

    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stackConfig)) {
        values[qualify(key)] = value;
    }
    for (const [key, value] of Object.entries(overrides)) {
        values[qualify(key)] = value;
    }

    const errors: string[] = undeclaredProjectKeys(Object.keys(values), project).map(
        (key) => `Stack '${stack}' uses configuration value '${key}' which is not defined by the project configuration${didYouMean(key.slice(project.name.length + 1), Object.keys(project.config), qualify)}`,
    );
    for (const [key, decl] of Object.entries(project.config)) {
        const full = qualify(key);
        if (values[full] === undefined) {
            if (decl.default === undefined) {
                errors.push(`Stack '${stack}' is missing configuration value '${key}'`);
            } else {
                values[full] = decl.default;
            }
        } else if (!matchesType(decl.type, values[full])) {
            errors.push(`Stack '${stack}' with configuration key '${key}' must be of type '${decl.type}'`);
        }
    }
    if (errors.length > 0) {
        throw new StackConfigError(errors.join("\n"));
    }

    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
        out[key] = asConfigString(value);
    }
    return out;
}

/** Keys (fully qualified) in the project's own namespace that Pulumi.yaml does not declare. */
export function undeclaredProjectKeys(keys: readonly string[], project: ProjectFile): string[] {
    const declared = new Set(Object.keys(project.config).map((k) => (k.includes(":") ? k : `${project.name}:${k}`)));
    return keys.filter((k) => k.startsWith(`${project.name}:`) && !declared.has(k)).sort();
}
