import * as assert from "assert";
import { capacityChanges, formatCapacity, formatResources } from "../../../tools/plan/format";
import { resourcePrefix } from "../../../lib/names";
import { Plan, RecordedResource, buildPlan, groupByComponent, settingsOf, stackNeutralName, toCapacityPlan } from "../../../tools/plan/model";

const capacity = { replicas: 4, maxReplicas: 8, peakTasks: 16, dbMaxConnections: 410, dbReservedConnections: 10, poolPerTask: 25, peakConnections: 410 };

function resources(stack: string, desired: number, pool: number): RecordedResource[] {
    const p = `webfleet-${stack}`;
    return [
        { type: "webfleet:data:Database", name: `${p}-db`, inputs: {} },
        { type: "webfleet:web:WebService", name: `${p}-web`, inputs: {} },
        { type: "aws:rds/instance:Instance", name: `${p}-db-pg`, inputs: { instanceClass: "db.t4g.medium", multiAz: true, storageEncrypted: true, password: "not-shown" } },
        {
            type: "aws:rds/parameterGroup:ParameterGroup",
            name: `${p}-db-params`,
            inputs: { family: "postgres16", parameters: [{ name: "max_connections", value: "410", applyMethod: "pending-reboot" }] },
        },
        { type: "aws:ecs/service:Service", name: `${p}-web-svc`, inputs: { desiredCount: desired, deploymentMaximumPercent: 200 } },
        {
            type: "aws:ecs/taskDefinition:TaskDefinition",
            name: `${p}-web-task`,
            inputs: { cpu: "1024", containerDefinitions: JSON.stringify([{ environment: [{ name: "DB_POOL_MAX", value: String(pool) }, { name: "PGPASSWORD", value: "x" }] }]) },
        },
        { type: "aws:sns/topic:Topic", name: "alerts", inputs: {} },
    ];
}

function plan(stack: string, overrides: Record<string, string>, desired: number, pool: number, cap = capacity): Plan {
    return buildPlan({
        stack,
        overrides,
        config: { "webfleet:dbPoolMaxPerTask": "50", "webfleet:deploymentMaximumPercent": "150" },
        resources: resources(stack, desired, pool),
        outputs: { capacityPlan: cap },
    });
}

describe("offline plan: model and text", () => {
    it("spells out the capacity arithmetic", () => {
        const lines = formatCapacity(plan("prod", {}, 4, 25));
        assert.strictEqual(lines[0], "Capacity plan — stack prod");
        assert.match(lines.join("\n"), /peak tasks\s+16\s+floor\(8 × 200 \/ 100\)/);
        assert.match(lines.join("\n"), /pool per task\s+25\s+min\(dbPoolMaxPerTask 50, floor\(\(410 − 10\) \/ 16\) = floor\(400 \/ 16\)\); DB_POOL_MAX/);
        assert.match(lines.join("\n"), /peak connections\s+410\s+16 × 25 \+ 10 ≤ 410/);
    });

    it("takes deploymentMaximumPercent from the service the program made, not the config", () => {
        assert.strictEqual(plan("prod", {}, 4, 25).deploymentMaximumPercent, 200);
    });

    it("groups resources under their component by name, the rest at top level", () => {
        const groups = groupByComponent(resources("prod", 4, 25), "prod");
        assert.deepStrictEqual(
            groups.map((g) => [g.title, g.resources.map((r) => r.name)]),
            [
                ["webfleet:data:Database webfleet-prod-db", ["webfleet-prod-db-pg", "webfleet-prod-db-params"]],
                ["webfleet:web:WebService webfleet-prod-web", ["webfleet-prod-web-svc", "webfleet-prod-web-task"]],
                ["(top level)", ["alerts"]],
            ],
        );
    });

    it("prefers the recorded parent over the name when there is one", () => {
        const rs: RecordedResource[] = [
            { type: "webfleet:data:Cache", name: "c", inputs: {} },
            { type: "webfleet:data:Database", name: "d", inputs: {} },
            { type: "aws:sns/topic:Topic", name: "d-topic", inputs: {}, parent: "urn:pulumi:prod::webfleet::webfleet:data:Cache::c" },
        ];
        assert.deepStrictEqual(groupByComponent(rs, "prod")[0].resources.map((r) => r.name), ["d-topic"]);
    });

    it("shows settings a reviewer cares about and never other inputs such as passwords", () => {
        const [, , db, params, , task] = resources("prod", 4, 25);
        assert.deepStrictEqual(settingsOf(db), { instanceClass: "db.t4g.medium", multiAz: "true", storageEncrypted: "true" });
        assert.deepStrictEqual(settingsOf(params), { family: "postgres16", max_connections: "410 (pending-reboot)" });
        assert.deepStrictEqual(settingsOf(task), { cpu: "1024", "env.DB_POOL_MAX": "25" });
        assert.doesNotMatch(formatResources(plan("prod", {}, 4, 25)).join("\n"), /not-shown|PGPASSWORD/);
    });

    it("lines up resources of two stacks by a stack-neutral name", () => {
        assert.strictEqual(stackNeutralName("webfleet-prod-db-pg", "prod"), "webfleet-{stack}-db-pg");
        assert.strictEqual(stackNeutralName("webfleet-production-x", "prod"), "webfleet-production-x");
        // A long stack name gets the program's shortened prefix; it must still be recognised.
        const long = resourcePrefix("webfleet", "feature-branch-with-a-long-name");
        assert.strictEqual(stackNeutralName(`${long}-db-pg`, "feature-branch-with-a-long-name"), "webfleet-{stack}-db-pg");
    });

    it("lists the capacity numbers that change, replicas 4 → 6: tasks, peak tasks, pool per task", () => {
        const six = { ...capacity, replicas: 6, maxReplicas: 12, peakTasks: 24, poolPerTask: 16, peakConnections: 394 };
        const before = plan("prod", {}, 4, 25);
        const after = plan("prod", { replicas: "6" }, 6, 16, six);
        assert.deepStrictEqual(capacityChanges(before, after).map((c) => [c.key, c.before, c.after]), [
            ["replicas", 4, 6],
            ["maxReplicas", 8, 12],
            ["peakTasks", 16, 24],
            ["poolPerTask", 25, 16],
            ["peakConnections", 410, 394],
        ]);
        assert.deepStrictEqual(capacityChanges(before, before), []);
    });

    it("rejects a capacityPlan output that is missing or malformed, naming the field", () => {
        assert.throws(() => toCapacityPlan(undefined), /no `capacityPlan` output/);
        assert.throws(() => toCapacityPlan({ ...capacity, poolPerTask: "25" }), /capacityPlan.poolPerTask is "25", expected a number/);
    });
});
