/**
 * The local fleet's connection budget: the cloud fleet's own arithmetic (lib/capacity.ts)
 * with the local server's max_connections, the replica count from the command line, and
 * every other input at its project default (lib/config-keys.ts, from which Pulumi.yaml is generated) — so a pool seen here is the pool a stack
 * with that many replicas and that max_connections would get.
 */
import { CapacityInput, CapacityResult, planCapacity } from "../../lib/capacity";
import { CONFIG_KEYS } from "../../lib/config-keys";

export type BudgetDefaults = Pick<CapacityInput, "deploymentMaximumPercent" | "dbReservedConnections" | "dbPoolMaxPerTask" | "dbPoolMinPerTask">;

/**
 * The budget's inputs at their project defaults, from the config table that Pulumi.yaml's
 * `config:` block is generated from (a unit test keeps the two equal).
 */
export function projectBudgetDefaults(): BudgetDefaults {
    return {
        deploymentMaximumPercent: CONFIG_KEYS.deploymentMaximumPercent.default,
        dbReservedConnections: CONFIG_KEYS.dbReservedConnections.default,
        dbPoolMaxPerTask: CONFIG_KEYS.dbPoolMaxPerTask.default,
        dbPoolMinPerTask: CONFIG_KEYS.dbPoolMinPerTask.default,
    };
}

/** No autoscaling locally: the ceiling is the replica count. */
export function localCapacity(replicas: number, maxConnections: number, defaults: BudgetDefaults): CapacityResult {
    return planCapacity({ replicas, maxReplicas: replicas, dbMaxConnections: maxConnections, ...defaults });
}
