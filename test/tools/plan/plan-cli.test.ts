/**
 * The plan end to end: the real program under mocks, with each stack file, through the
 * CLI as a user runs it (one process per run, tools/mock-runner/launch.ts), with no
 * credentials in the environment.
 */
import * as assert from "assert";
import { Finished, launchSync } from "../../../tools/mock-runner/launch";

// No way out: the plan must not need AWS or Pulumi credentials.
const ENV = { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", AWS_EC2_METADATA_DISABLED: "true" };

function plan(...args: string[]): Finished {
    return launchSync({ script: "tools/plan/plan.ts", args, env: ENV });
}

function json(r: Finished): Record<string, unknown> {
    assert.strictEqual(r.status, 0, r.stderr);
    const parsed: unknown = JSON.parse(r.stdout);
    assert.ok(typeof parsed === "object" && parsed !== null && !Array.isArray(parsed));
    return Object.fromEntries(Object.entries(parsed));
}

function field(o: unknown, ...path: string[]): unknown {
    let at = o;
    for (const p of path) {
        at = typeof at === "object" && at !== null ? new Map(Object.entries(at)).get(p) : undefined;
    }
    return at;
}

function assertOneCleanLine(r: Finished, message: RegExp): void {
    assert.strictEqual(r.status, 1, r.stdout);
    assert.strictEqual(r.stdout, "");
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+/, "no stack trace");
}

describe("offline plan: npm run plan", function () {
    this.timeout(180_000);

    it("prod: capacity, cost per component with its arithmetic, a resource summary; --resources lists them", () => {
        const r = plan("--stack", "prod", "--resources");
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /^Capacity plan — stack prod\n/);
        assert.match(r.stdout, /peak connections\s+\d+\s+\d+ × \d+ \+ \d+ ≤ \d+/);
        assert.match(r.stdout, /Monthly cost — \$451\.65–\$595\.81\/month on-demand in us-east-1/);
        assert.match(r.stdout, /Fargate tasks: 4 tasks × \(1 vCPU × \$0\.04048 \+ 2 GB × \$0\.004445\) × 730 h \(X86_64\); up to 8 tasks/);
        assert.match(r.stdout, /assumes 100 GB\/month processed/);
        assert.match(r.stdout, /webfleet:data:Database webfleet-prod-db\n/);
        assert.match(r.stdout, /aws:ecs\/taskDefinition:TaskDefinition\s+\S+\s+.*env\.DB_POOL_MAX=\d+/);
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

    it("dev --json: plan and cost, the cost as worked out by hand for us-east-1", () => {
        const out = json(plan("--stack", "dev", "--json"));
        assert.strictEqual(field(out, "plan", "stack"), "dev");
        // 1 task × (0.5 × 0.04048 + 1 × 0.004445) × 730 = 18.02; ALB 22.265; 2 ALB IPs 7.30; logs 2.5 + 5 × 7/30 × 0.03 = 2.535;
        // 1 NAT 32.85 + 4.50 = 37.35; 1 EIP 3.65; RDS db.t4g.micro 11.68 + 20 × 0.115 = 13.98; 1 cache.t4g.micro 11.68;
        // 2 secrets 0.80; ECR 0.10; 10 alarms (5xx ×2, p99, unhealthy, CPU, memory, DB connections, DB storage, Redis memory, Redis evictions) 1.00.
        const hand = 18.02 + 22.265 + 7.3 + 2.535 + 37.35 + 3.65 + 13.98 + 11.68 + 0.8 + 0.1 + 1.0;
        const total = Number(field(out, "cost", "total"));
        assert.ok(Math.abs(total - hand) < 0.03, `dev total ${total}, by hand ${hand}`);
        assert.ok(Math.abs(Number(field(out, "cost", "totalMax")) - (hand + 18.02)) < 0.03);
    });

    it("--against shows the changes first, like pulumi preview: the scaling policy's targetValue (issue 9)", () => {
        const r = plan("--stack", "prod", "--set", "autoscalingRequestsPerTarget=30000", "--against", "prod");
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /^Changes — prod → prod with autoscalingRequestsPerTarget=30000/);
        assert.match(r.stdout, /~ +update +aws:appautoscaling\/policy:Policy webfleet-\{stack\}-web-requests\n +targetTrackingScalingPolicyConfiguration\.targetValue: 75000 → 30000\n/);
        assert.match(r.stdout, /Resources: ~ 1 to update, \d+ unchanged\n/);
        assert.doesNotMatch(r.stdout, /aws:ecs\/service:Service\s/, "the full inventory is not printed without --resources");
    });

    it("--against with replicas=6 does not show desiredCount (ignoreChanges), shows minCapacity and the cost change (issue 9)", () => {
        const out = plan("--stack", "prod", "--set", "replicas=6", "--against", "prod");
        assert.strictEqual(out.status, 0, out.stderr);
        assert.doesNotMatch(out.stdout, /\n +desiredCount: 4 → 6/);
        assert.match(out.stdout, /desiredCount 4 → 6 is ignored \(ignoreChanges\)/);
        assert.match(out.stdout, /aws:appautoscaling\/target:Target webfleet-\{stack\}-web-scaling\n +minCapacity: 4 → 6/);
        // 2 more tasks × 36.0401 = 72.08
        assert.match(out.stdout, /Cost change — \+\$72\.08\/month/);
    });

    it("--json with --against carries plan, diff and cost change", () => {
        // A bigger class (a smaller one is held back for one `up` while the pools shrink: lib/transition.ts).
        const out = json(plan("--stack", "prod", "--set", "dbInstanceClass=db.t4g.large", "--against", "prod", "--json"));
        assert.strictEqual(field(out, "against", "plan", "stack"), "prod");
        const changes = field(out, "diff", "changes");
        assert.ok(Array.isArray(changes));
        const db = changes.find((c: unknown) => field(c, "type") === "aws:rds/instance:Instance");
        assert.strictEqual(field(db, "op"), "update");
        // db.t4g.medium (0.065) → db.t4g.large (0.129), Multi-AZ: (0.129 − 0.065) × 730 × 2 = +93.44
        assert.strictEqual(field(out, "costChange", "monthly"), 93.44);
        assert.strictEqual(field(out, "transition", "targetPoolPerTask"), 50);
    });

    it("refuses a mistyped key with the CLI's message and a suggestion (issue 9)", () => {
        assertOneCleanLine(
            plan("--stack", "prod", "--set", "replica=6"),
            /^Stack 'prod' uses configuration value 'webfleet:replica' which is not defined by the project configuration; did you mean 'webfleet:replicas'\?\n$/,
        );
        assertOneCleanLine(plan("--stack", "prod", "--set", "foo=1", "--against", "prod"), /^Stack 'prod' uses configuration value 'webfleet:foo' which is not defined by the project configuration\n$/);
    });

    it("names the stack files that exist when --stack has none, in one line (issue 9)", () => {
        assertOneCleanLine(plan("--stack", "nope"), /^no stack file Pulumi\.nope\.yaml for stack 'nope'; stack files here: Pulumi\.dev\.yaml \(dev\), Pulumi\.prod\.yaml \(prod\)\n$/);
    });

    it("--help prints the usage and exits 0 (issue 9)", () => {
        const r = plan("--help");
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /^usage: npm run plan -- --stack <name>/);
    });

    it("exits 1 with the program's own config message on a bad config, on either side", () => {
        assertOneCleanLine(plan("--stack", "dev", "--set", "replicas=40"), /^webfleet configuration has \d+ problems? for stack "dev":\n  - webfleet:\w+ = /);
        assertOneCleanLine(plan("--stack", "prod", "--against-set", "replicas=abc"), /configuration key 'replicas' must be of type 'integer'/);
    });
});
