/**
 * One program run under mocks in a child process, for tests that chain `up`s (each run
 * needs a fresh process: the program module and Pulumi's runtime are global). Reads the
 * target from WEBFLEET_STACK / WEBFLEET_OVERRIDES / WEBFLEET_PREVIOUS_OUTPUTS, prints one
 * JSON line last: the outputs and what the budget-relevant resources were given.
 */
import { programTarget } from "../../tools/mock-runner/program-target";
import { runProgram } from "../../tools/mock-runner/run-program";

export interface ChildRun {
    readonly outputs: Record<string, unknown>;
    /** DB_POOL_MAX in the task definition. */
    readonly pool: number;
    /** max_connections in the parameter group. */
    readonly maxConnections: number;
    readonly instanceClass: string;
}

function field(v: unknown, key: string): unknown {
    return typeof v === "object" && v !== null ? new Map(Object.entries(v)).get(key) : undefined;
}

async function main(): Promise<void> {
    const target = programTarget();
    const run = await runProgram(target.stack, target.overrides, { unchecked: target.unchecked, previousOutputs: target.previousOutputs });
    const inputs = (type: string): Record<string, unknown> => run.resources.find((r) => r.type === type)?.inputs ?? {};
    const containers: unknown = JSON.parse(String(inputs("aws:ecs/taskDefinition:TaskDefinition")["containerDefinitions"]));
    const environment = Array.isArray(containers) ? field(containers[0], "environment") : undefined;
    const pool = (Array.isArray(environment) ? environment : []).find((e) => field(e, "name") === "DB_POOL_MAX");
    const params = inputs("aws:rds/parameterGroup:ParameterGroup")["parameters"];
    const maxConnections = (Array.isArray(params) ? params : []).find((p) => field(p, "name") === "max_connections");
    const result: ChildRun = {
        outputs: { capacityPlan: run.outputs["capacityPlan"] },
        pool: Number(field(pool, "value")),
        maxConnections: Number(field(maxConnections, "value")),
        instanceClass: String(inputs("aws:rds/instance:Instance")["instanceClass"]),
    };
    process.stdout.write(`\n${JSON.stringify(result)}\n`);
}

main().then(
    () => process.exit(0),
    (e: unknown) => {
        process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
    },
);
