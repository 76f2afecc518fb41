import * as assert from "assert";
import { DiffableResource, StackDiff, diffRuns, flatten, pathMatches, summaryLine } from "../../../tools/plan/diff";
import { FORCE_NEW } from "../../../tools/plan/force-new";
import { impactsOf } from "../../../tools/plan/impact";

const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };

function r(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<DiffableResource> = {}): DiffableResource {
    return { type, name, inputs, computed: { id: `${name}-id`, arn: `arn:aws:mock:us-east-1:123456789012:${name}` }, ...extra };
}

const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";

function base(pool: string, desired: number, extra: Partial<DiffableResource> = {}): DiffableResource[] {
    return [
        r("webfleet:web:WebService", "webfleet-prod-web", {}),
        r(TASK, "webfleet-prod-web-task", {
            cpu: "1024",
            containerDefinitions: JSON.stringify([{ name: "web", environment: [{ name: "DB_POOL_MAX", value: pool }, { name: "NODE_ENV", value: "production" }] }]),
        }),
        r(
            SERVICE,
            "webfleet-prod-web-svc",
            { desiredCount: desired, taskDefinition: "arn:aws:mock:us-east-1:123456789012:webfleet-prod-web-task", cluster: "webfleet-prod-web-cluster-id" },
            { options: { parent: "webfleet-prod-web", ignoreChanges: ["desiredCount"] }, ...extra },
        ),
    ];
}

function diff(before: DiffableResource[], after: DiffableResource[], stacks: [string, string] = ["prod", "prod"]): StackDiff {
    return diffRuns({ stack: stacks[0], resources: before }, { stack: stacks[1], resources: after });
}

describe("offline plan: generic diff (tools/plan/diff)", () => {
    it("flattens nested inputs and JSON text to paths, arrays of named things by name, secrets hidden", () => {
        const leaves = flatten({ a: { b: [1, 2] }, defs: JSON.stringify([{ name: "web", environment: [{ name: "X", value: "1" }] }]), pw: SECRET, empty: {} }, (s) => s);
        assert.deepStrictEqual([...leaves.keys()], ["a.b[0]", "a.b[1]", "defs[web].environment[X].name", "defs[web].environment[X].value", "defs[web].name", "empty", "pw"]);
        assert.strictEqual(leaves.get("pw")?.shown, "[secret]");
        assert.doesNotMatch(JSON.stringify([...leaves.values()].map((l) => l.shown)), /hunter2/);
    });

    it("matches Pulumi property paths for ignoreChanges and replaceOnChanges", () => {
        assert.ok(pathMatches("desiredCount", "desiredCount"));
        assert.ok(pathMatches("tags.Name", "tags"));
        assert.ok(pathMatches("a[0].b", "a[*]"));
        assert.ok(pathMatches("anything", "*"));
        assert.ok(!pathMatches("desiredCountMax", "desiredCount"));
    });

    it("a changed env var inside containerDefinitions replaces the task definition, and the service that holds its ARN rolls out", () => {
        const d = diff(base("25", 4), base("16", 4));
        const task = d.changes.find((c) => c.type === TASK);
        assert.strictEqual(task?.op, "replace");
        assert.deepStrictEqual(task?.properties.map((p) => [p.path, p.before, p.after]), [["containerDefinitions[web].environment[DB_POOL_MAX].value", '"25"', '"16"']]);
        assert.match(task?.properties[0].replaces ?? "", /containerDefinitions is ForceNew \(hashicorp\/terraform-provider-aws internal\/service\/ecs\/task_definition\.go\)/);
        const service = d.changes.find((c) => c.type === SERVICE);
        assert.strictEqual(service?.op, "update");
        assert.deepStrictEqual(service?.properties.map((p) => [p.path, p.after, p.knownAfterReplaceOf]), [["taskDefinition", "(known after replace)", `${TASK} webfleet-{stack}-web-task`]]);
        assert.ok(impactsOf(service ?? assert.fail(), base("16", 4)[2]).some((n) => /rolling deploy/.test(n)));
        assert.strictEqual(summaryLine(d), "~ 1 to update, +- 1 to replace, 1 unchanged");
    });

    it("ignoreChanges hides a change from the count but keeps it visible as ignored", () => {
        const d = diff(base("25", 4), base("25", 6));
        assert.deepStrictEqual(d.counts, { create: 0, update: 0, replace: 0, delete: 0 });
        assert.strictEqual(d.unchanged, 3);
        const service = d.changes.find((c) => c.type === SERVICE);
        assert.deepStrictEqual(service?.ignored.map((p) => [p.path, p.before, p.after]), [["desiredCount", "4", "6"]]);
        assert.deepStrictEqual(service?.properties, []);
        // Without the option the same edit is an update.
        const plain = base("25", 6).map((x) => (x.type === SERVICE ? { ...x, options: {} } : x));
        assert.strictEqual(diff(base("25", 4), plain).counts.update, 1);
    });

    it("replaceOnChanges, protect and deleteBeforeReplace come from the program's options", () => {
        const before = [r("aws:sns/topic:Topic", "t", { displayName: "a" })];
        const after = [r("aws:sns/topic:Topic", "t", { displayName: "b" }, { options: { replaceOnChanges: ["displayName"], protect: true, deleteBeforeReplace: true } })];
        const d = diff(before, after);
        const c = d.changes[0];
        assert.strictEqual(c.op, "replace");
        assert.match(c.properties[0].replaces ?? "", /replaceOnChanges/);
        const notes = impactsOf(c, after[0]);
        assert.ok(notes.some((n) => /protected/.test(n)));
        assert.ok(notes.some((n) => /deleted BEFORE/.test(n)));
    });

    it("creates and deletes, and lines two stacks up by their stack-neutral names", () => {
        const dev = [r("aws:sns/topic:Topic", "webfleet-dev-alarms-topic", { name: "webfleet-dev-x" }), r("aws:ec2/eip:Eip", "webfleet-dev-net-nat-0", {})];
        const prod = [r("aws:sns/topic:Topic", "webfleet-prod-alarms-topic", { name: "webfleet-prod-x" }), r("aws:ec2/eip:Eip", "webfleet-prod-net-nat-1", {})];
        const d = diff(dev, prod, ["dev", "prod"]);
        assert.deepStrictEqual(d.counts, { create: 1, update: 0, replace: 0, delete: 1 });
        assert.strictEqual(d.unchanged, 1, "the topic's name differs only by the stack prefix");
        assert.strictEqual(summaryLine(d), "+ 1 to create, - 1 to delete, 1 unchanged");
    });

    it("says a pending-reboot parameter waits for a reboot, and an instance class change restarts", () => {
        const pg = (v: string): DiffableResource => r("aws:rds/parameterGroup:ParameterGroup", "p", { family: "postgres16", parameters: [{ name: "max_connections", value: v, applyMethod: "pending-reboot" }] });
        const d = diff([pg("410")], [pg("850")]);
        assert.ok(impactsOf(d.changes[0], pg("850")).some((n) => /max_connections 410 → 850.*next reboot/.test(n)));
        const db = (c: string): DiffableResource => r("aws:rds/instance:Instance", "db", { instanceClass: c, multiAz: true });
        const d2 = diff([db("db.t4g.medium")], [db("db.t4g.large")]);
        assert.strictEqual(d2.changes[0].op, "update");
        assert.ok(impactsOf(d2.changes[0], db("db.t4g.large")).some((n) => /restarts the instance/.test(n)));
        const v = (engineVersion: string): DiffableResource => r("aws:rds/instance:Instance", "db", { engineVersion });
        assert.ok(impactsOf(diff([v("16")], [v("17")]).changes[0], v("17")).some((n) => /MAJOR version upgrade needs allowMajorVersionUpgrade/.test(n)));
        assert.ok(!impactsOf(diff([v("16.3")], [v("16.4")]).changes[0], v("16.4")).some((n) => /MAJOR/.test(n)));
    });

    it("every force-new entry cites the provider source file it comes from", () => {
        for (const [type, entry] of Object.entries(FORCE_NEW)) {
            assert.match(entry.source, /^hashicorp\/terraform-provider-(aws|random) internal\/[a-z0-9_/]+\.go$/, type);
            assert.ok(entry.inputs.length > 0, type);
            for (const input of entry.inputs) {
                assert.match(input, /^[a-z][A-Za-z0-9]*$/, `${type}.${input} must be the Pulumi (camelCase) name`);
            }
        }
    });
});
