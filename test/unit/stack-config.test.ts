import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { OPTIONAL_KEYS, PROJECT_KEYS } from "../../lib/settings";
import { listStacks, loadStackConfig, readProjectFile } from "../../tools/mock-runner/stack-config";

const ROOT = path.resolve(__dirname, "..", "..");

describe("stack config loader (tools/mock-runner/stack-config) agrees with the Pulumi CLI", () => {
    const project = readProjectFile();

    it("Pulumi.yaml declares exactly the keys the program reads, each with type, description and default", () => {
        assert.deepStrictEqual(Object.keys(project.config).sort(), [...PROJECT_KEYS].sort());
        for (const [key, decl] of Object.entries(project.config)) {
            assert.ok(decl.description.length > 20, `${key} needs a description`);
            assert.notStrictEqual(decl.default, undefined, `${key} needs a default: the CLI refuses to run without one`);
        }
    });

    it("optional keys default to their 'unset' value (0 or empty)", () => {
        for (const key of OPTIONAL_KEYS) {
            assert.ok(project.config[key].default === 0 || project.config[key].default === "", key);
        }
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: every key is the stack file's value if set, else the Pulumi.yaml default, as a string`, () => {
            // Read the stack file independently of the loader.
            const doc: { config: Record<string, unknown> } = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
            const loaded = loadStackConfig(stack);
            for (const [key, decl] of Object.entries(project.config)) {
                const fromStack = doc.config[`webfleet:${key}`];
                const expected = String(fromStack ?? decl.default);
                assert.strictEqual(loaded[`webfleet:${key}`], expected, key);
            }
            assert.strictEqual(loaded["aws:region"], String(doc.config["aws:region"]));
            for (const key of Object.keys(doc.config)) {
                assert.ok(key in loaded, `${key} from the stack file was dropped`);
            }
        });
    }

    it("finds the dev and prod stacks", () => {
        assert.deepStrictEqual(listStacks(), ["dev", "prod"]);
    });

    it("applies --set overrides over the stack file, and qualifies bare keys", () => {
        const loaded = loadStackConfig("prod", { replicas: "6", "webfleet:maxReplicas": "12" });
        assert.strictEqual(loaded["webfleet:replicas"], "6");
        assert.strictEqual(loaded["webfleet:maxReplicas"], "12");
    });

    it("rejects a value of the wrong type, as the CLI does", () => {
        assert.throws(() => loadStackConfig("prod", { replicas: "four" }), /configuration key 'replicas' must be of type 'integer'/);
        assert.throws(() => loadStackConfig("prod", { dbMultiAz: "yes" }), /must be of type 'boolean'/);
    });

    it("rejects a declared key with neither value nor default, as the CLI does", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webfleet-loader-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: t\nruntime: nodejs\nconfig:\n  size:\n    type: integer\n");
        fs.writeFileSync(path.join(dir, "Pulumi.x.yaml"), "config: {}\n");
        assert.throws(() => loadStackConfig("x", {}, dir), /Stack 'x' is missing configuration value 'size'/);
        fs.rmSync(dir, { recursive: true });
    });

    it("names a missing stack file and the stack files that exist, on one line", () => {
        assert.throws(
            () => loadStackConfig("staging"),
            (e: Error) =>
                e.name === "StackConfigError" &&
                e.message === "no stack file Pulumi.staging.yaml for stack 'staging'; stack files here: Pulumi.dev.yaml (dev), Pulumi.prod.yaml (prod)",
        );
    });

    it("refuses a --set key of the project's namespace that Pulumi.yaml does not declare, with the CLI's message and a suggestion", () => {
        assert.throws(
            () => loadStackConfig("prod", { replica: "6" }),
            (e: Error) =>
                e.message ===
                "Stack 'prod' uses configuration value 'webfleet:replica' which is not defined by the project configuration; did you mean 'webfleet:replicas'?",
        );
        assert.throws(
            () => loadStackConfig("prod", { foo: "1" }),
            (e: Error) => e.message === "Stack 'prod' uses configuration value 'webfleet:foo' which is not defined by the project configuration",
        );
        // Other namespaces belong to providers: the CLI passes them through, and so does the loader.
        assert.strictEqual(loadStackConfig("prod", { "aws:profile": "x" })["aws:profile"], "x");
    });

    it("refuses an undeclared key in a stack file, every one of them, as the CLI does", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webfleet-loader-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: t\nruntime: nodejs\nconfig:\n  size:\n    type: integer\n    default: 1\n");
        fs.writeFileSync(path.join(dir, "Pulumi.x.yaml"), "config:\n  t:sise: 2\n  t:other: 3\n  aws:region: us-east-1\n");
        assert.throws(
            () => loadStackConfig("x", {}, dir),
            (e: Error) =>
                e.message ===
                [
                    "Stack 'x' uses configuration value 't:other' which is not defined by the project configuration",
                    "Stack 'x' uses configuration value 't:sise' which is not defined by the project configuration; did you mean 't:size'?",
                ].join("\n"),
        );
        fs.rmSync(dir, { recursive: true });
    });
});
