/**
 * One program run under mocks in a child process, for tests that chain `up`s (each run
 * needs a fresh process: the program module and Pulumi's runtime are global). Reads the
 * target from WEBFLEET_STACK / WEBFLEET_OVERRIDES / WEBFLEET_PREVIOUS_OUTPUTS, prints one
 * JSON line last: the outputs and what the budget-relevant resources were given.
 */
import { isRecord } from "../../lib/is-record";
import { environmentOf, parseContainerDefinitions } from "../../policy/container-definitions";
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

async function main(): Promise<void> {
    const target = programTarget();
    const run = await runProgram(target.stack, target.overrides, { unchecked: target.unchecked, previousOutputs: target.previousOutputs });
    const inputs = (type: string): Record<string, unknown> => run.resources.find((r) => r.type === type)?.inputs ?? {};
    const containers = parseContainerDefinitions(inputs("aws:ecs/taskDefinition:TaskDefinition")["containerDefinitions"]);
    const pool = containers.ok ? environmentOf(containers.containers).get("DB_POOL_MAX") : undefined;
    const params = inputs("aws:rds/parameterGroup:ParameterGroup")["parameters"];
    const maxConnections = (Array.isArray(params) ? params.filter(isRecord) : []).find((p) => p["name"] === "max_connections");
    const result: ChildRun = {
        outputs: { capacityPlan: run.outputs["capacityPlan"] },
        pool: Number(pool),
        maxConnections: Number(maxConnections?.["value"]),
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
