import * as assert from "assert";
import * as fc from "fast-check";
import { parse } from "yaml";
import { CONFIG_KEYS, KeySpec, PROJECT_KEYS } from "../../lib/config-keys";
import { MARKERS, renderYamlConfig, replaceBetween, yamlScalar } from "../../lib/config-docs";
import { generatedFiles } from "../../scripts/config-docs";
import { readProjectFile } from "../../tools/mock-runner/stack-config";
import { propertyRuns } from "../support/property-runs";

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
        const message =
            'README.md has no generated block (the lines "<!-- generated from lib/config-keys.ts by `npm run config:docs`: edit the table, not these rows -->" … ' +
            '"<!-- end of generated table -->"); put them back where the block belongs';
        const [open, close] = MARKERS.readme;
        for (const text of ["no markers here", `${open}\nrows`, `rows\n${close}`, `${close}\nrows\n${open}`]) {
            assert.throws(() => replaceBetween(text, MARKERS.readme, "x", "README.md"), { message }, text);
        }
    });

    it("replaces the block between the markers, markers included, wherever it starts", () => {
        const [open, close] = MARKERS.yaml;
        assert.strictEqual(replaceBetween(`${open}\nold\n${close}\nafter`, MARKERS.yaml, "NEW", "Pulumi.yaml"), "NEW\nafter");
        assert.strictEqual(replaceBetween(`before\n${open}\nold\n${close}`, MARKERS.yaml, "NEW", "Pulumi.yaml"), "before\nNEW");
    });
});

describe("YAML scalars in the generated Pulumi.yaml (lib/config-docs yamlScalar)", () => {
    const readBack = (scalar: string, version: "1.1" | "1.2"): unknown => parse(`k: ${scalar}`, { version }).k;

    it("numbers and booleans are written as YAML reads them", () => {
        assert.deepStrictEqual([3, 0.5, -2, 65536, true, false].map(yamlScalar), ["3", "0.5", "-2", "65536", "true", "false"]);
    });

    it("ordinary strings stay plain, unquoted", () => {
        for (const s of ["t4g.micro", "10.0.0.0/16", "api.example.org", "eu-west-1", "x1", "1a", "yesterday", "onward", "nullable", "two words", "a:b", "a#b", "0xzz", "e", "Tuesday"]) {
            assert.strictEqual(yamlScalar(s), s, s);
        }
    });

    it("strings YAML would read as a number, a boolean or null, or that break the line, are quoted and read back as themselves", () => {
        const tricky = ["", "~", "null", "Null", "true", "False", "yes", "No", "on", "OFF", "1", "-2", "+1", ".5", "1.", "1.5", "1e5", "1E10", "1e+5", "1e-5"];
        tricky.push("-x", "? x", ": x", "[x]", "{x}", "#x", "&x", "*x", "!x", "|x", ">x", "'x", '"x', "%x", "@x", "`x", " x", "x ", "a: b", "a #b", "it's", 'say "hi"');
        for (const s of tricky) {
            assert.strictEqual(yamlScalar(s), JSON.stringify(s), s);
            assert.strictEqual(readBack(yamlScalar(s), "1.2"), s, s);
        }
    });

    it("strings other YAML readers take for numbers, booleans or keys are quoted too (hex, octal, binary, .inf, 1.1's y/n, 1_000, 1:20, a trailing colon, a line break)", () => {
        for (const s of ["0x10", "0o17", "0b101", ".inf", "-.Inf", ".NaN", "y", "N", "1_000", "1:20", "e7", "key:", "a\nb", "tab\there"]) {
            assert.strictEqual(yamlScalar(s), JSON.stringify(s), s);
            assert.deepStrictEqual([readBack(yamlScalar(s), "1.2"), readBack(yamlScalar(s), "1.1")], [s, s], s);
        }
    });

    it("property: every string reads back as itself, under YAML 1.2 and 1.1", () => {
        const numberLike = fc.stringMatching(/^[-+]?[\d._:a-fxob]{1,6}$/);
        const indicators = fc.string({ unit: fc.constantFrom("a", "1", ":", " ", "#", "\n", "\t", "-", ".", "'", '"', "e", "+", "x", "_") });
        fc.assert(
            fc.property(fc.oneof(fc.string({ unit: "grapheme-ascii" }), numberLike, indicators), (s) => {
                const scalar = yamlScalar(s);
                return readBack(scalar, "1.2") === s && readBack(scalar, "1.1") === s;
            }),
            { numRuns: propertyRuns(1000) },
        );
    });
});
