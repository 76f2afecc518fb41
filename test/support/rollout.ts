/**
 * Shared by the transition tests: prod as deployed today, and an independent check of
 * lib/transition.ts — every rollout its assumptions allow, counted
 * by brute force instead of by the module's greedy formula.
 */
import { DeployedPlan, TransitionInput } from "../../lib/transition";

export interface NewFleet {
    readonly maxReplicas: number;
    readonly deploymentMaximumPercent: number;
    readonly dbReservedConnections: number;
}

/**
 * Desired count d ≤ max(R0, R1); old tasks ≤ R0 (the old deployment only shrinks), new ≤ d,
 * old + new ≤ floor(d × P / 100), P the larger of old and new. Returns the most connections
 * any such moment holds, reserved included.
 */
export function bruteForceWorst(deployed: DeployedPlan, next: NewFleet, newPool: number): number {
    const dMax = Math.max(deployed.maxReplicas, next.maxReplicas);
    const percent = Math.max(deployed.deploymentMaximumPercent ?? 200, next.deploymentMaximumPercent);
    const reserved = Math.max(deployed.dbReservedConnections, next.dbReservedConnections);
    let worst = 0;
    for (let d = 1; d <= dMax; d += 1) {
        const cap = Math.floor((d * percent) / 100);
        for (let old = 0; old <= Math.min(deployed.maxReplicas, cap); old += 1) {
            const fresh = Math.min(d, cap - old);
            worst = Math.max(worst, old * deployed.poolPerTask + fresh * newPool + reserved);
        }
    }
    return worst;
}

/** Prod as deployed today: db.t4g.medium, 4 → 8 tasks, 200 % deploys, pool 25. */
export const prodSettings: TransitionInput = {
    replicas: 4,
    maxReplicas: 8,
    deploymentMaximumPercent: 200,
    dbMaxConnections: 410,
    dbReservedConnections: 10,
    dbPoolMaxPerTask: 50,
    dbPoolMinPerTask: 5,
    dbInstanceClass: "db.t4g.medium",
    dbEngineVersion: "16",
    dbMaxConnectionsConfirmed: undefined,
};
export const prodDeployed: DeployedPlan = {
    maxReplicas: 8,
    poolPerTask: 25,
    dbMaxConnections: 410,
    dbMaxConnectionsLive: 410,
    dbReservedConnections: 10,
    deploymentMaximumPercent: 200,
    dbInstanceClass: "db.t4g.medium",
    dbEngineVersion: "16",
};

