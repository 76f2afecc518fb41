/**
 * The local fleet's connection budget: the cloud fleet's own arithmetic (lib/capacity.ts)
 * with the local server's max_connections, the replica count from the command line, and
 * every other input at its Pulumi.yaml default — so a pool seen here is the pool a stack
 * with that many replicas and that max_connections would get.
 */
import { CapacityInput, CapacityResult, planCapacity } from "../../lib/capacity";
import { readProjectFile } from "../mock-runner/stack-config";

export type BudgetDefaults = Pick<CapacityInput, "deploymentMaximumPercent" | "dbReservedConnections" | "dbPoolMaxPerTask" | "dbPoolMinPerTask">;

const DEFAULT_KEYS = ["deploymentMaximumPercent", "dbReservedConnections", "dbPoolMaxPerTask", "dbPoolMinPerTask"] as const;

/** The budget's inputs as Pulumi.yaml declares their defaults. */
export function projectBudgetDefaults(): BudgetDefaults {
    const declared = readProjectFile().config;
    const read = (key: (typeof DEFAULT_KEYS)[number]): number => {
        const value = declared[key]?.default;
        if (typeof value !== "number" || !Number.isInteger(value)) {
            throw new Error(`Pulumi.yaml config.${key} has no integer default (got ${JSON.stringify(value)})`);
        }
        return value;
    };
    return {
        deploymentMaximumPercent: read("deploymentMaximumPercent"),
        dbReservedConnections: read("dbReservedConnections"),
        dbPoolMaxPerTask: read("dbPoolMaxPerTask"),
        dbPoolMinPerTask: read("dbPoolMinPerTask"),
    };
}

/** No autoscaling locally: the ceiling is the replica count. */
export function localCapacity(replicas: number, maxConnections: number, defaults: BudgetDefaults): CapacityResult {
    return planCapacity({ replicas, maxReplicas: replicas, dbMaxConnections: maxConnections, ...defaults });
}
