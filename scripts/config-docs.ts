/**
 * `npm run config:docs`: rewrite the generated parts of Pulumi.yaml and README.md from the
 * config table (lib/config-keys.ts), and the environment table of app/README.md from the
 * app's table (app/lib/env.ts). With `--check`, change nothing and exit 1 when any file is
 * stale (the unit tests do the same check).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ENV_TABLE_MARKERS, renderEnvTable } from "../app/lib/env-docs";
import { MARKERS, renderReadmeTable, renderYamlConfig, replaceBetween, StackValues } from "../lib/config-docs";

const ROOT = path.resolve(__dirname, "..");

function stackValues(stack: string): Record<string, unknown> {
    const doc: unknown = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
    const config = typeof doc === "object" && doc !== null && "config" in doc ? doc.config : undefined;
    return typeof config === "object" && config !== null ? { ...config } : {};
}

/** Each generated file with its current and its expected text. */
export function generatedFiles(): { file: string; current: string; expected: string }[] {
    const stacks: StackValues = { dev: stackValues("dev"), prod: stackValues("prod") };
    return [
        { file: "Pulumi.yaml", markers: MARKERS.yaml, block: renderYamlConfig() },
        { file: "README.md", markers: MARKERS.readme, block: renderReadmeTable(stacks) },
        { file: "app/README.md", markers: ENV_TABLE_MARKERS, block: renderEnvTable() },
    ].map(({ file, markers, block }) => {
        const current = fs.readFileSync(path.join(ROOT, file), "utf8");
        return { file, current, expected: replaceBetween(current, markers, block, file) };
    });
}

function main(argv: readonly string[]): number {
    const check = argv.includes("--check");
    const unknown = argv.filter((a) => a !== "--check");
    if (unknown.length > 0) {
        process.stderr.write(`config:docs: unknown argument ${unknown.join(" ")}; the only option is --check\n`);
        return 1;
    }
    let stale = 0;
    for (const { file, current, expected } of generatedFiles()) {
        if (current === expected) continue;
        stale += 1;
        if (check) {
            process.stderr.write(`config:docs: ${file} is stale; run \`npm run config:docs\`\n`);
        } else {
            fs.writeFileSync(path.join(ROOT, file), expected);
            process.stdout.write(`config:docs: rewrote the generated part of ${file}\n`);
        }
    }
    return check && stale > 0 ? 1 : 0;
}

if (require.main === module) {
    try {
        process.exitCode = main(process.argv.slice(2));
    } catch (error) {
        process.stderr.write(`config:docs: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
    }
}
