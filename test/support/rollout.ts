/**
 * An independent check of lib/transition.ts: every rollout its assumptions allow, counted
 * by brute force instead of by the module's greedy formula.
 */
import { DeployedPlan } from "../../lib/transition";

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
