import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { policies } from "../../policy/policies";

const POLICY_DIR = path.join(__dirname, "..", "..", "policy");

function readJson(file: string): Record<string, unknown> {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.ok(typeof parsed === "object" && parsed !== null && !Array.isArray(parsed), `${file} is not a JSON object`);
    return { ...parsed };
}

function dependencies(pkg: Record<string, unknown>): Record<string, string> {
    const deps: Record<string, string> = {};
    for (const key of ["dependencies", "devDependencies"]) {
        const group = pkg[key];
        if (typeof group === "object" && group !== null) {
            for (const [name, version] of Object.entries(group)) {
                deps[name] = String(version);
            }
        }
    }
    return deps;
}

describe("the policy pack", () => {
    it("has unique policy names, all mandatory and described", () => {
        const names = policies.map((p) => p.name);
        assert.deepStrictEqual([...new Set(names)], names);
        for (const p of policies) {
            assert.strictEqual(p.enforcementLevel, "mandatory", `${p.name} must be mandatory`);
            assert.ok(p.description.length > 20, `${p.name} needs a description`);
        }
    });

    it("pins @pulumi/policy, @pulumi/pulumi and its TypeScript toolchain to the versions the root installs", () => {
        const own = dependencies(readJson(path.join(POLICY_DIR, "package.json")));
        for (const name of ["@pulumi/policy", "@pulumi/pulumi", "typescript", "ts-node", "@types/node"]) {
            const installed = readJson(require.resolve(`${name}/package.json`))["version"];
            assert.strictEqual(own[name], String(installed).replace(/^v/, ""), `policy/package.json must pin ${name} to ${String(installed)}`);
        }
        const lock = readJson(path.join(POLICY_DIR, "package-lock.json"));
        const lockedPackages = lock["packages"];
        assert.ok(typeof lockedPackages === "object" && lockedPackages !== null);
        const locked = new Map(Object.entries(lockedPackages));
        for (const name of ["@pulumi/policy", "@pulumi/pulumi"]) {
            const entry: unknown = locked.get(`node_modules/${name}`);
            assert.ok(typeof entry === "object" && entry !== null && "version" in entry, `policy/package-lock.json lacks ${name}`);
            assert.strictEqual(entry.version, own[name], `policy/package-lock.json is stale for ${name}; run npm install in policy/`);
        }
    });

    it("declares a nodejs policy pack", () => {
        const project: unknown = parse(fs.readFileSync(path.join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8"));
        assert.ok(typeof project === "object" && project !== null && "runtime" in project);
        assert.strictEqual(project.runtime, "nodejs");
    });

    // The CLI starts a pack with @pulumi/pulumi's run-policy-pack, which type-checks
    // index.ts with ts-node and then serves on a port it prints. Doing the same in a child
    // process proves the pack compiles and starts, without a CLI.
    it("starts the way `pulumi preview --policy-pack policy/` starts it", async function () {
        this.timeout(120_000);
        const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICY_DIR] });
        const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: POLICY_DIR, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        const port = await new Promise<string>((resolve, reject) => {
            child.stdout.on("data", (chunk: Buffer) => {
                stdout += chunk.toString();
                const match = /^(\d+)\s*$/m.exec(stdout);
                if (match) {
                    resolve(match[1]);
                }
            });
            child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
            child.on("exit", (code) => reject(new Error(`the policy pack exited with ${code} before serving:\n${stdout}\n${stderr}`)));
        }).finally(() => child.kill());
        assert.ok(Number(port) > 0);
    });
});
