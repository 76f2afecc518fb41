import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { connectionBudget } from "../../policy/policies";
import { checkStack, messages, resource } from "./fakes";

const T = {
    task: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    target: "aws:appautoscaling/target:Target",
    params: "aws:rds/parameterGroup:ParameterGroup",
};

function taskDefinition(env: Record<string, string>, name = "web-task"): PolicyResource {
    const environment = Object.entries(env).map(([n, value]) => ({ name: n, value }));
    return resource(T.task, name, {
        family: "web",
        containerDefinitions: JSON.stringify([{ name: "web", image: "repo@sha256:abc", environment }]),
    });
}

function service(desiredCount: number, deploymentMaximumPercent?: number, name = "web-service"): PolicyResource {
    const props: Record<string, unknown> = { desiredCount, name };
    if (deploymentMaximumPercent !== undefined) {
        props["deploymentMaximumPercent"] = deploymentMaximumPercent;
    }
    return resource(T.service, name, props);
}

function target(maxCapacity: number, resourceId = "service/cluster/web-service", name = "web-scaling"): PolicyResource {
    return resource(T.target, name, { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", minCapacity: 1, maxCapacity, resourceId });
}

function parameterGroup(maxConnections: string, applyMethod = "pending-reboot", live?: string): PolicyResource {
    return resource(T.params, "db-params", {
        family: "postgres16",
        ...(live === undefined ? {} : { tags: { "webfleet:live-max-connections": live } }),
        parameters: [
            { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
            { name: "max_connections", value: maxConnections, applyMethod },
        ],
    });
}

/** prod-like: 4 tasks, autoscaling to 6, P 200 → 12 peak tasks; 12 × 33 + 5 = 401 ≤ 410. */
function fleet(pool: number, overrides: { maxConnections?: string; reserved?: string | null } = {}): PolicyResource[] {
    const env: Record<string, string> = { DB_POOL_MAX: String(pool) };
    if (overrides.reserved !== null) {
        env["DB_RESERVED_CONNECTIONS"] = overrides.reserved ?? "5";
    }
    return [taskDefinition(env), service(4, 200), target(6), parameterGroup(overrides.maxConnections ?? "410")];
}

describe("policy connection-budget-fits", () => {
    it("passes when peak tasks × DB_POOL_MAX + reserved fits max_connections", async () => {
        assert.deepStrictEqual(messages(await checkStack(connectionBudget, fleet(33))), []);
    });

    it("passes at exactly max_connections (12 × 33 + 14 = 410)", async () => {
        assert.deepStrictEqual(messages(await checkStack(connectionBudget, fleet(33, { reserved: "14" }))), []);
    });

    it("fails one connection over, spelling out the arithmetic and the keys to change", async () => {
        const outcome = await checkStack(connectionBudget, fleet(34));
        assert.strictEqual(outcome.violations.length, 1);
        const [v] = outcome.violations;
        assert.match(v.message, /peak tasks 12 for service web-service \(max\(desiredCount 4, autoscaling maxCapacity 6\) × deploymentMaximumPercent 200 \/ 100, rounded down\)/);
        assert.match(v.message, /× DB_POOL_MAX 34 .*\+ DB_RESERVED_CONNECTIONS 5 = 413 connections/);
        assert.match(v.message, /max_connections in parameter group db-params is 410/);
        assert.match(v.message, /webfleet:replicas.*webfleet:maxReplicas.*webfleet:deploymentMaximumPercent.*webfleet:dbMaxConnections/);
        assert.strictEqual(v.urn, "urn:pulumi:dev::webfleet::aws:rds/parameterGroup:ParameterGroup::db-params");
    });

    it("counts the rolling-deploy surge: without autoscaling the peak is desiredCount × P / 100", async () => {
        // 4 tasks × 150 % = 6 peak; 6 × 60 + 3 = 363 fits 400, 6 × 67 + 3 = 405 does not.
        const base = (pool: number): PolicyResource[] => [
            taskDefinition({ DB_POOL_MAX: String(pool), DB_RESERVED_CONNECTIONS: "3" }),
            service(4, 150),
            parameterGroup("400"),
        ];
        assert.deepStrictEqual(messages(await checkStack(connectionBudget, base(66))), []);
        assert.match(messages(await checkStack(connectionBudget, base(67)))[0], /peak tasks 6 for service web-service \(desiredCount 4 × deploymentMaximumPercent 150/);
    });

    it("rounds the peak down as ECS does (3 × 150 % = 4.5 → 4)", async () => {
        const stack = [taskDefinition({ DB_POOL_MAX: "24", DB_RESERVED_CONNECTIONS: "4" }), service(3, 150), parameterGroup("100")];
        assert.deepStrictEqual(messages(await checkStack(connectionBudget, stack)), []); // 4 × 24 + 4 = 100
    });

    it("uses ECS's default deploymentMaximumPercent of 200 when the service does not set it", async () => {
        const stack = [taskDefinition({ DB_POOL_MAX: "50", DB_RESERVED_CONNECTIONS: "3" }), service(4), parameterGroup("400")];
        assert.match(messages(await checkStack(connectionBudget, stack))[0], /peak tasks 8 .* = 403 connections/);
    });

    it("falls back to 3 reserved connections, and says so, when DB_RESERVED_CONNECTIONS is missing", async () => {
        assert.deepStrictEqual(messages(await checkStack(connectionBudget, fleet(33, { reserved: null }))), []); // 399
        const [message] = messages(await checkStack(connectionBudget, fleet(34, { reserved: null }))); // 411
        assert.match(message, /reserved 3 \(DB_RESERVED_CONNECTIONS is not set on the container; assumed PostgreSQL's 3\) = 411/);
    });

    it("matches autoscaling targets to services by resourceId when there are several services", async () => {
        const stack = [
            taskDefinition({ DB_POOL_MAX: "10", DB_RESERVED_CONNECTIONS: "3" }),
            service(2, 200, "web-service"),
            service(1, 100, "worker"),
            target(10, "service/cluster/web-service", "web-scaling"),
            target(2, "service/cluster/worker", "worker-scaling"),
            parameterGroup("200"),
        ];
        // web 10 × 2 = 20, worker 2 × 1 = 2: 22 × 10 + 3 = 223 > 200.
        const [message] = messages(await checkStack(connectionBudget, stack));
        assert.match(message, /20 for service web-service .* \+ 2 for service worker .* = 223 connections/);
    });

    it("checks against the live limit tagged on the group while a raise waits for a reboot (the class-change case)", async () => {
        // t4g.medium → t4g.large: 850 sits in the group, 410 is live. Pool 50 (sized for 850) must fail.
        const raised = [...fleet(50).slice(0, 3), parameterGroup("850", "pending-reboot", "410")];
        const [v] = messages(await checkStack(connectionBudget, raised));
        assert.ok(v, "a pool sized for the pending value must be refused");
        assert.match(v, /is 410 live \(850 waits for a reboot\)/);
        assert.deepStrictEqual(messages(await checkStack(connectionBudget, [...fleet(33).slice(0, 3), parameterGroup("850", "pending-reboot", "410")])), []);
        assert.deepStrictEqual(messages(await checkStack(connectionBudget, [...fleet(33).slice(0, 3), parameterGroup("410", "pending-reboot", "850")])), [], "a higher tag never raises the limit");
    });

    it("requires max_connections to be static (applyMethod pending-reboot)", async () => {
        const stack = [...fleet(33).slice(0, 3), parameterGroup("410", "immediate")];
        assert.match(messages(await checkStack(connectionBudget, stack))[0], /applyMethod "immediate".*set applyMethod: "pending-reboot"/);
    });

    it("fails when tasks have a pool but no parameter group sets max_connections", async () => {
        const stack = fleet(33).slice(0, 3);
        assert.match(messages(await checkStack(connectionBudget, stack))[0], /no RDS parameter group sets max_connections/);
    });

    it("fails when a task definition has no DB_POOL_MAX", async () => {
        const stack = [taskDefinition({ NODE_ENV: "production" }), service(4, 200), parameterGroup("410")];
        assert.match(messages(await checkStack(connectionBudget, stack))[0], /web-task has no DB_POOL_MAX/);
    });

    it("fails on a DB_POOL_MAX that is not a whole number ≥ 1", async () => {
        const stack = [taskDefinition({ DB_POOL_MAX: "0" }), service(4, 200), parameterGroup("410")];
        assert.match(messages(await checkStack(connectionBudget, stack))[0], /sets DB_POOL_MAX to "0"; it must be a whole number ≥ 1/);
    });

    it("fails on containerDefinitions that are not JSON", async () => {
        const broken = resource(T.task, "web-task", { containerDefinitions: "[{" });
        assert.match(messages(await checkStack(connectionBudget, [broken, service(1), parameterGroup("100")]))[0], /not valid JSON/);
    });

    it("is not applicable to a stack with no task definition and no parameter group", async () => {
        const outcome = await checkStack(connectionBudget, [service(1)]);
        assert.match(outcome.notApplicable ?? "(applicable)", /no ECS task definition and no RDS parameter group/);
    });
});
