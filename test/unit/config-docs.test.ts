import * as assert from "assert";
import { parse } from "yaml";
import { CONFIG_KEYS, KeySpec, PROJECT_KEYS } from "../../lib/config-keys";
import { MARKERS, renderYamlConfig, replaceBetween } from "../../lib/config-docs";
import { generatedFiles } from "../../scripts/config-docs";
import { readProjectFile } from "../../tools/mock-runner/stack-config";

describe("config table (lib/config-keys.ts) and the documents derived from it", () => {
    for (const { file, current, expected } of generatedFiles()) {
        it(`${file} matches the table (run \`npm run config:docs\` after editing lib/config-keys.ts)`, () => {
            assert.strictEqual(current, expected);
        });
    }

    it("the generated YAML reads back as exactly the table's type, default and description", () => {
        const doc: { config: Record<string, { type: string; default: unknown; description: string }> } = parse(renderYamlConfig());
        assert.deepStrictEqual(Object.keys(doc.config), [...PROJECT_KEYS]);
        for (const key of PROJECT_KEYS) {
            const spec: KeySpec<unknown> = CONFIG_KEYS[key];
            assert.deepStrictEqual(doc.config[key], { type: spec.type, default: spec.default, description: spec.doc }, key);
        }
    });

    it("Pulumi.yaml, as the stack loader reads it, declares each key with the table's type and default", () => {
        const project = readProjectFile();
        for (const key of PROJECT_KEYS) {
            assert.strictEqual(project.config[key].type, CONFIG_KEYS[key].type, key);
            assert.strictEqual(project.config[key].default, CONFIG_KEYS[key].default, key);
        }
    });

    it("every default passes its own parser (the CLI's defaults are valid config)", () => {
        for (const key of PROJECT_KEYS) {
            const spec: KeySpec<unknown> = CONFIG_KEYS[key];
            assert.ok(spec.parse(String(spec.default)).ok, `${key}: default ${JSON.stringify(spec.default)} is rejected by its parser`);
        }
    });

    it("the default's type matches the declared type", () => {
        for (const key of PROJECT_KEYS) {
            const spec: KeySpec<unknown> = CONFIG_KEYS[key];
            const expected = spec.type === "integer" ? "number" : spec.type;
            assert.strictEqual(typeof spec.default, expected, key);
        }
    });

    it("a file that lost its markers gets an error naming them", () => {
        assert.throws(() => replaceBetween("no markers here", MARKERS.readme, "x", "README.md"), /README\.md has no generated block/);
    });
});
