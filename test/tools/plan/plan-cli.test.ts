/**
 * The plan end to end: the real program under mocks, with each stack file, in a child
 * process per run (one stack per process).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..", "..");

function plan(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "tools", "plan", "plan.ts"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        // No way out: the plan must not need AWS or Pulumi credentials.
        env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", AWS_EC2_METADATA_DISABLED: "true" },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("offline plan: npm run plan", function () {
    this.timeout(120_000);

    for (const stack of ["dev", "prod"]) {
        it(`plans ${stack} with no credentials: capacity table and resources by component`, () => {
            const r = plan("--stack", stack);
            assert.strictEqual(r.status, 0, r.stderr);
            assert.match(r.stdout, new RegExp(`^Capacity plan — stack ${stack}\\n`));
            assert.match(r.stdout, /peak connections\s+\d+\s+\d+ × \d+ \+ \d+ ≤ \d+/);
            assert.match(r.stdout, /webfleet:data:Database webfleet-\w+-db\n/);
            assert.match(r.stdout, /aws:ecs\/taskDefinition:TaskDefinition\s+\S+\s+.*env\.DB_POOL_MAX=\d+/);
        });
    }

    it("prints what differs with --against (prod, replicas 4 → 6)", () => {
        const r = plan("--stack", "prod", "--set", "replicas=6", "--against", "prod");
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /Differences — prod → prod with replicas=6\n/);
        assert.match(r.stdout, /replicas\s+4\s+→\s+6/);
        assert.match(r.stdout, /~ aws:ecs\/service:Service \S+: desiredCount 4 → 6/);
        assert.match(r.stdout, /~ aws:appautoscaling\/target:Target \S+: minCapacity 4 → 6/);
    });

    it("plans the change from the --against side as deployed: a class change waits for the reboot", () => {
        const r = plan("--stack", "prod", "--set", "dbInstanceClass=db.t4g.large", "--against", "prod");
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /Change — from the deployed plan \(prod\)\n/);
        // The old program set 50 at once: 8 × 25 + 8 × 50 + 10 = 610 against a live 410.
        assert.match(r.stdout, /pool this up sets\s+25\s+target 50 \(1 more `up`, after the reboot\)/);
        assert.match(r.stdout, /peak during change\s+410 ≤ live max_connections 410/);
        assert.match(r.stdout, /pending reboot\s+max_connections 850 is in the parameter group; live stays 410/);
        assert.match(r.stdout, /pool per task\s+25\s+DB_POOL_MAX this up; target 50/);
    });

    it("exits non-zero with the program's own config message on a bad config", () => {
        const r = plan("--stack", "dev", "--set", "replicas=40");
        assert.strictEqual(r.status, 1);
        assert.strictEqual(r.stdout, "");
        assert.match(r.stderr, /^webfleet configuration has \d+ problems? for stack "dev":\n  - webfleet:\w+ = /);
        assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, "a config error prints no stack trace");
    });

    it("exits non-zero when the --against side has a bad config", () => {
        const r = plan("--stack", "prod", "--against-set", "replicas=abc");
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /configuration key 'replicas' must be of type 'integer'/);
    });
});
