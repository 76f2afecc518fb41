import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { validateWorkflow } from "@action-validator/core";
import { ROOT, Workflow, isNode, job, readWorkflow, workflowFiles } from "./workflow-files";

/** Every input pulumi/actions v6/v7 accepts (its action.yml / README); the schema cannot check these. */
const PULUMI_ACTION_INPUTS = new Set([
    "command", "stack-name", "work-dir", "cloud-url", "comment-on-pr", "comment-on-pr-number", "comment-on-summary",
    "edit-pr-comment", "github-token", "refresh", "secrets-provider", "color", "log-verbosity", "log-flow", "debug",
    "config-map", "diff", "expect-no-changes", "message", "parallel", "policyPacks", "policyPackConfigs",
    "pulumi-version", "pulumi-version-file", "remove", "replace", "target", "target-dependents", "upsert",
    "exclude-protected", "suppress-outputs", "suppress-progress", "omit-stdout", "plan", "always-include-summary",
    "continue-on-error",
]);
const AWS_CREDENTIALS_INPUTS = new Set([
    "aws-region", "role-to-assume", "role-session-name", "role-duration-seconds", "audience", "mask-aws-account-id",
    "role-skip-session-tagging", "output-credentials", "unset-current-credentials", "retry-max-attempts",
]);

const workflows: Workflow[] = workflowFiles().map(readWorkflow);

function schemaErrors(text: string): string[] {
    return validateWorkflow(text).errors.map((e) => `${"path" in e ? e.path : ""} ${e.title}${e.detail ? `: ${e.detail}` : ""}`);
}

function permissions(node: unknown): Record<string, string> {
    assert.ok(isNode(node), "permissions must be a mapping (use {} for none)");
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(node)) {
        out[k] = String(v);
    }
    return out;
}

describe("GitHub workflows", () => {
    it("exist: checks, pull-request, deploy", () => {
        assert.deepStrictEqual(workflowFiles(), ["checks.yml", "deploy.yml", "pull-request.yml"]);
    });

    /**
     * The first major of each action whose runtime is Node 24 (GitHub removed the Node 20
     * actions runtime in 2026): actions/checkout v5 (actions/checkout#2238), actions/setup-node
     * v5, aws-actions/configure-aws-credentials v5, pulumi/actions v7 (pulumi/actions#1404).
     */
    const NODE24_MAJORS: Readonly<Record<string, number>> = {
        "actions/checkout": 5,
        "actions/setup-node": 5,
        "aws-actions/configure-aws-credentials": 5,
        "pulumi/actions": 7,
    };
    for (const w of workflows) {
        it(`${w.file} uses only actions on the Node 24 runtime and sets up Node 24`, () => {
            for (const step of w.steps) {
                if (!step.uses || step.uses.startsWith("./")) continue;
                const [name, ref] = step.uses.split("@");
                const min = NODE24_MAJORS[name ?? ""];
                assert.ok(min !== undefined, `${w.file}: ${step.uses} is not in the reviewed list of actions (add it with its Node 24 major)`);
                const major = Number(/^v(\d+)/.exec(ref ?? "")?.[1]);
                assert.ok(major >= min, `${w.file}: ${step.uses} runs on Node 20; use ${name}@v${min} or later`);
                if (name === "actions/setup-node") {
                    assert.strictEqual(String(step.with["node-version"]), "24", `${w.file}: setup-node must install Node 24 (the image's runtime)`);
                }
            }
        });
    }

    for (const w of workflows) {
        it(`${w.file} passes the GitHub workflow schema (@action-validator/core)`, () => {
            assert.deepStrictEqual(schemaErrors(w.text), []);
        });
    }

    describe("the schema check can fail", () => {
        const original = readWorkflow("pull-request.yml").text;
        const typos: [string, string, string][] = [
            ["runs-on:", "runs_on:", "a misspelt job key"],
            ["id-token: write", "id-tokn: write", "a misspelt permission"],
            ["pull-requests: write", "pull-requests: wrte", "a bad permission level"],
            ["  pull_request:\n", "  pull_requests:\n", "an unknown trigger"],
            ["cancel-in-progress: true", "cancel-in-progress: true\n  bogus: 1", "an unknown concurrency key"],
        ];
        for (const [from, to, what] of typos) {
            it(`rejects ${what} (${to.trim().split("\n").pop()})`, () => {
                assert.ok(original.includes(from), `fixture text ${JSON.stringify(from)} no longer in pull-request.yml`);
                assert.notDeepStrictEqual(schemaErrors(original.replace(from, to)), []);
            });
        }
    });

    it("set `permissions: {}` at the top and explicit least-privilege permissions on every job", () => {
        const mayWrite: Record<string, string[]> = {
            "pull-request.yml/preview": ["id-token", "pull-requests"],
            "deploy.yml/deploy": ["id-token"],
        };
        for (const w of workflows) {
            assert.deepStrictEqual(permissions(w.doc["permissions"]), {}, `${w.file}: top-level permissions`);
            for (const [id, j] of w.jobs) {
                const granted = permissions(j["permissions"]);
                const writes = Object.entries(granted).filter(([, level]) => level === "write").map(([scope]) => scope).sort();
                assert.deepStrictEqual(writes, mayWrite[`${w.file}/${id}`] ?? [], `${w.file} job ${id} writes`);
                for (const [scope, level] of Object.entries(granted)) {
                    assert.ok(level === "write" || (scope === "contents" && level === "read"), `${w.file} job ${id}: ${scope}: ${level}`);
                }
            }
        }
    });

    it("pass pulumi/actions and configure-aws-credentials only inputs they accept", () => {
        for (const w of workflows) {
            for (const s of w.steps) {
                const known = s.uses?.startsWith("pulumi/actions@") ? PULUMI_ACTION_INPUTS : s.uses?.startsWith("aws-actions/configure-aws-credentials@") ? AWS_CREDENTIALS_INPUTS : undefined;
                for (const key of known ? Object.keys(s.with) : []) {
                    assert.ok(known?.has(key), `${w.file} job ${s.job}: ${s.uses} has no input "${key}"`);
                }
            }
        }
    });

    it("authenticate to AWS only through OIDC, with the role from a repository variable", () => {
        for (const w of workflows) {
            assert.doesNotMatch(w.text, /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/, w.file);
            for (const s of w.steps.filter((x) => x.uses?.startsWith("aws-actions/configure-aws-credentials@"))) {
                assert.strictEqual(s.with["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}", `${w.file} job ${s.job}`);
            }
        }
    });

    it("pin every action to a major version or a commit, and refer only to local workflows that exist", () => {
        for (const w of workflows) {
            const reusable = w.jobs.map(([, j]) => j["uses"]).filter((u): u is string => typeof u === "string");
            for (const ref of reusable) {
                assert.ok(fs.existsSync(path.join(ROOT, ref)), `${w.file}: ${ref} does not exist`);
            }
            for (const s of w.steps) {
                if (s.uses !== undefined) {
                    assert.match(s.uses, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/, `${w.file} job ${s.job}: ${s.uses}`);
                }
            }
        }
    });

    it("run only npm scripts that package.json defines", () => {
        const pkg: unknown = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        assert.ok(isNode(pkg) && isNode(pkg["scripts"]));
        const scripts = new Set(Object.keys(pkg["scripts"]));
        for (const w of workflows) {
            for (const s of w.steps) {
                for (const m of (s.run ?? "").matchAll(/npm run (?:--silent )?([\w:-]+)/g)) {
                    assert.ok(scripts.has(m[1]), `${w.file} job ${s.job} runs npm script "${m[1]}", which package.json does not define`);
                }
            }
        }
    });

    it("pull requests: preview dev and prod with the policy pack and a PR comment, only when the cloud is configured", () => {
        const w = readWorkflow("pull-request.yml");
        const preview = job(w, "preview");
        assert.strictEqual(preview["if"], "needs.checks.outputs.cloud-ready == 'true'");
        assert.deepStrictEqual(isNode(preview["strategy"]) && isNode(preview["strategy"]["matrix"]) ? preview["strategy"]["matrix"]["stack"] : undefined, ["dev", "prod"]);
        const pulumi = w.steps.find((s) => s.job === "preview" && s.uses?.startsWith("pulumi/actions@"));
        assert.ok(pulumi, "preview job has no pulumi/actions step");
        assert.strictEqual(pulumi.with["command"], "preview");
        assert.strictEqual(pulumi.with["comment-on-pr"], true);
        assert.strictEqual(pulumi.with["policyPacks"], "${{ github.workspace }}/policy");
        assert.ok(fs.existsSync(path.join(ROOT, "policy", "PulumiPolicy.yaml")));
        const installs = w.steps.filter((s) => s.job === "preview").map((s) => s.run ?? "").join("\n");
        assert.match(installs, /npm ci --prefix policy/, "the pack needs its own node_modules");
    });

    it("checks: skip the cloud jobs with a notice when forked or unconfigured, never fail", () => {
        const gate = readWorkflow("checks.yml").steps.find((s) => s.job === "cloud");
        assert.ok(gate?.run);
        assert.match(gate.run, /::notice title=Pulumi preview\/deploy skipped::/);
        assert.doesNotMatch(gate.run, /exit 1/);
        assert.match(gate.run, /AWS_ROLE_ARN/);
        assert.match(gate.run, /PULUMI_ACCESS_TOKEN/);
        assert.match(gate.run, /HEAD_REPO" != "\$THIS_REPO/);
    });

    it("deploy: pulumi up prod on pushes to main, behind an environment, one at a time", () => {
        const w = readWorkflow("deploy.yml");
        const on = w.doc["on"];
        assert.ok(isNode(on) && isNode(on["push"]));
        assert.deepStrictEqual(on["push"]["branches"], ["main"]);
        const deploy = job(w, "deploy");
        assert.ok(isNode(deploy["environment"]) && deploy["environment"]["name"] === "production");
        assert.deepStrictEqual(deploy["concurrency"], { group: "deploy-prod", "cancel-in-progress": false });
        const up = w.steps.find((s) => s.job === "deploy" && s.uses?.startsWith("pulumi/actions@"));
        assert.ok(up);
        assert.strictEqual(up.with["command"], "up");
        assert.strictEqual(up.with["stack-name"], "${{ vars.PULUMI_STACK_PREFIX }}prod");
    });
});
