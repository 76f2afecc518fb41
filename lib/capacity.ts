/**
 * The connection budget: how many PostgreSQL connections each task's pool may open so
 * that the whole fleet — including the extra tasks of a rolling deploy and everything
 * autoscaling may add — never asks RDS for more than `max_connections`.
 *
 *     T    = floor(maxReplicas × deploymentMaximumPercent / 100)   peak tasks alive
 *     pool = min(dbPoolMaxPerTask, floor((dbMaxConnections − dbReservedConnections) / T))
 *     require pool ≥ dbPoolMinPerTask
 *     invariant: T × pool + dbReservedConnections ≤ dbMaxConnections
 *
 * Pure: no Pulumi import, so it is tested exhaustively without mocks and reused by the
 * app's load tests and the offline plan.
 */
import { MAX_CONNECTIONS_LIMIT } from "./db-instance-classes";
import { ConfigProblem, problem } from "./problems";

/** PostgreSQL keeps 3 superuser slots (`superuser_reserved_connections`); config validation refuses fewer. */
export const MIN_RESERVED_CONNECTIONS = 3;

export interface CapacityInput {
    /** Desired task count; the autoscaling floor. */
    readonly replicas: number;
    /** Autoscaling ceiling; equal to `replicas` when autoscaling is off. */
    readonly maxReplicas: number;
    /** ECS `maximumPercent` for rolling deploys (ECS rounds desired × P / 100 down). */
    readonly deploymentMaximumPercent: number;
    /** `max_connections` of the database (set explicitly in its parameter group). */
    readonly dbMaxConnections: number;
    /** Connections kept back for superusers, RDS automation, admin and migrations. */
    readonly dbReservedConnections: number;
    /** The most a single task's pool may use, however much room there is. */
    readonly dbPoolMaxPerTask: number;
    /** Below this a task is not worth running; the plan fails instead. */
    readonly dbPoolMinPerTask: number;
}

/** The plan, exactly as exported in the `capacityPlan` stack output. */
export interface CapacityPlan {
    readonly replicas: number;
    readonly maxReplicas: number;
    readonly peakTasks: number;
    readonly dbMaxConnections: number;
    readonly dbReservedConnections: number;
    readonly poolPerTask: number;
    /** Everything the database sees at the peak: peakTasks × poolPerTask + reserved; ≤ dbMaxConnections. */
    readonly peakConnections: number;
}

export type CapacityResult =
    | { readonly ok: true; readonly plan: CapacityPlan }
    | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** Most tasks that can be RUNNING or PENDING at once: ECS rounds down. */
export function peakTasks(maxReplicas: number, deploymentMaximumPercent: number): number {
    return Math.floor((maxReplicas * deploymentMaximumPercent) / 100);
}

/**
 * Computes the per-task pool. Inputs are assumed to be individually valid (positive
 * integers, maxReplicas ≥ replicas); config validation checks that first. The only
 * failure here is the budget itself not fitting, reported against every key that could
 * fix it, with the number each one would need.
 */
export function planCapacity(input: CapacityInput): CapacityResult {
    const peak = peakTasks(input.maxReplicas, input.deploymentMaximumPercent);
    const usable = input.dbMaxConnections - input.dbReservedConnections;
    const fitted = usable > 0 && peak > 0 ? Math.floor(usable / peak) : 0;
    const pool = Math.min(input.dbPoolMaxPerTask, fitted);

    if (pool >= input.dbPoolMinPerTask && pool >= 1) {
        return {
            ok: true,
            plan: {
                replicas: input.replicas,
                maxReplicas: input.maxReplicas,
                peakTasks: peak,
                dbMaxConnections: input.dbMaxConnections,
                dbReservedConnections: input.dbReservedConnections,
                poolPerTask: pool,
                peakConnections: peak * pool + input.dbReservedConnections,
            },
        };
    }
    return { ok: false, problems: explainShortfall(input, peak) };
}

/**
 * The budget did not fit. Say so once, with the arithmetic, then name each key that
 * would fix it on its own and the value it would need.
 */
function explainShortfall(input: CapacityInput, peak: number): ConfigProblem[] {
    const minPool = Math.max(1, input.dbPoolMinPerTask);
    const needed = peak * minPool + input.dbReservedConnections;
    const usable = input.dbMaxConnections - input.dbReservedConnections;
    const arithmetic =
        `peak tasks ${peak} (maxReplicas ${input.maxReplicas} × deploymentMaximumPercent ` +
        `${input.deploymentMaximumPercent} / 100, rounded down) × dbPoolMinPerTask ${minPool} ` +
        `+ dbReservedConnections ${input.dbReservedConnections} = ${needed} connections, ` +
        `but dbMaxConnections is ${input.dbMaxConnections}`;
    // Every value suggested below is the best one that fits on its own AND that config
    // validation accepts; where no such value exists, that key is not suggested.
    const raise =
        needed <= MAX_CONNECTIONS_LIMIT
            ? `Raise dbMaxConnections to at least ${needed} (or choose a larger dbInstanceClass), or change one of the keys below.`
            : `No dbMaxConnections can fit it (PostgreSQL on RDS allows up to ${MAX_CONNECTIONS_LIMIT}); change one of the keys below.`;
    const problems: ConfigProblem[] = [
        problem("dbMaxConnections", input.dbMaxConnections, `the connection budget does not fit: ${arithmetic}. ${raise}`),
    ];

    const maxPeak = usable > 0 ? Math.floor(usable / minPool) : 0;
    const fittingMaxReplicas = largestFitting(input.maxReplicas, (r) =>
        peakTasks(r, input.deploymentMaximumPercent) <= maxPeak,
    );
    if (fittingMaxReplicas >= input.replicas && fittingMaxReplicas >= 1) {
        problems.push(
            problem(
                "maxReplicas",
                input.maxReplicas,
                `lower to at most ${fittingMaxReplicas} for the budget to fit ` +
                    `(peak tasks would be ${peakTasks(fittingMaxReplicas, input.deploymentMaximumPercent)}).`,
            ),
        );
    } else {
        // maxReplicas cannot go below replicas, so replicas must come down too: the most
        // that fits and still lets a deploy start a task (floor(r × P / 100) ≥ r + 1).
        const fittingReplicas = largestFitting(input.replicas, (r) =>
            peakTasks(r, input.deploymentMaximumPercent) <= maxPeak,
        );
        const deployable = fittingReplicas >= 1 && peakTasks(fittingReplicas, input.deploymentMaximumPercent) > fittingReplicas;
        problems.push(
            problem(
                "replicas",
                input.replicas,
                `even ${input.replicas} replicas need ${peakTasks(input.replicas, input.deploymentMaximumPercent)} ` +
                    `tasks during a deploy, which does not fit; ` +
                    (deployable
                        ? `lower replicas to at most ${fittingReplicas} (and maxReplicas to at most ${fittingReplicas}, or 0), or raise dbMaxConnections.`
                        : `no replica count fits with deploymentMaximumPercent ${input.deploymentMaximumPercent}; raise dbMaxConnections.`),
            ),
        );
    }

    const fittingPercent = largestFitting(input.deploymentMaximumPercent, (p) =>
        peakTasks(input.maxReplicas, p) <= maxPeak,
    );
    if (fittingPercent > 100 && peakTasks(input.replicas, fittingPercent) > input.replicas) {
        problems.push(
            problem(
                "deploymentMaximumPercent",
                input.deploymentMaximumPercent,
                `lower to at most ${fittingPercent} for the budget to fit (deploys then replace tasks in smaller batches).`,
            ),
        );
    }

    const fittingMinPool = peak > 0 && usable > 0 ? Math.floor(usable / peak) : 0;
    if (fittingMinPool >= 1) {
        problems.push(
            problem(
                "dbPoolMinPerTask",
                input.dbPoolMinPerTask,
                `lower to at most ${fittingMinPool} for the budget to fit, if tasks can work with that few connections.`,
            ),
        );
    }

    const fittingReserved = input.dbMaxConnections - peak * minPool;
    if (fittingReserved >= MIN_RESERVED_CONNECTIONS && fittingReserved < input.dbReservedConnections) {
        problems.push(
            problem(
                "dbReservedConnections",
                input.dbReservedConnections,
                `the budget would fit with at most ${fittingReserved} reserved, but keep at least ${MIN_RESERVED_CONNECTIONS} for superusers and RDS automation.`,
            ),
        );
    }
    return problems;
}

/** Largest integer in [0, start] satisfying `fits`, which must be monotone (true below some point). */
export function largestFitting(start: number, fits: (n: number) => boolean): number {
    let lo = 0;
    let hi = start;
    if (fits(hi)) {
        return hi;
    }
    // Invariant: fits(lo) (fits(0) holds for every caller: zero tasks use nothing), !fits(hi).
    while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (fits(mid)) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}
