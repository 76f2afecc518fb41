/**
 * The connection budget through a change: what one `pulumi up` may set so that PostgreSQL
 * is never asked for more connections than it has — not at rest (lib/capacity.ts), and not
 * while ECS rolls the fleet from the deployed task definition to the new one.
 *
 * Pure: no Pulumi import. The program reads the deployed plan back from the stack's own
 * last `capacityPlan` output (deployed.ts) and hands it here with the new settings.
 *
 * ## The model, and every assumption it rests on
 *
 *     a  = pool of the deployed (old) tasks        b  = pool this `up` gives new tasks
 *     R0 = deployed maxReplicas (ceiling)          R1 = new maxReplicas
 *     D  = max(R0, R1)                             desired count while the change rolls out
 *     P  = max(old P, new P)                       deploymentMaximumPercent in force
 *     C  = floor(D × P / 100)                      running + pending tasks ECS allows
 *     old ≤ R0, new ≤ D, old + new ≤ C
 *     worst = the larger pool on as many tasks as allowed, the smaller on the rest, + S
 *     S  = max(old reserved, new reserved)
 *     Mlive = min(trusted live max_connections, max_connections this up writes)
 *     require worst ≤ Mlive, and at rest T × b + S ≤ Mlive   (T = floor(R1 × new P / 100))
 *
 * 1. Desired count. With autoscaling the desired count is anywhere between the floors and
 *    the ceilings; the scalable target is updated after the service, so during the rollout
 *    the old ceiling may still be in force, and a desired count set with autoscaling off
 *    takes effect in the same UpdateService as the new task definition. So D ≤ max(R0, R1).
 * 2. Old tasks ≤ R0 (hence ≤ D). Tasks of the old task definition belong to the old ECS
 *    deployment, which only ever shrinks once a new deployment starts; it cannot hold more
 *    than the deployed ceiling. (This is why raising `replicas` with autoscaling off is
 *    possible in one `up`: the extra tasks all start with the new pool.)
 * 3. New tasks ≤ D, and old + new ≤ floor(D × P / 100): ECS's maximumPercent counts
 *    RUNNING and PENDING tasks and rounds down. P is the larger of the old and new values,
 *    in case the new deployment configuration is not yet in force for this rollout.
 * 4. A task that is draining (deregistration delay) or stopping (SIGTERM → exit) still
 *    holds its pool: the model counts it as an old task until it has exited, never as a
 *    free slot. (ECS stops counting a STOPPING task against maximumPercent; the overlap
 *    lasts at most the container's stop timeout, and the app's own guard — it never opens
 *    more than its share of the live `SHOW max_connections` — is the defence for it.)
 * 5. `max_connections` is static: a new value reaches PostgreSQL only at a reboot, and
 *    nothing in an `up` reboots the instance for sure (not the maintenance window, not
 *    applyImmediately: hashicorp/terraform-provider-aws#40089). So the live limit is the
 *    lower of the trusted live value and the value this `up` writes, until a reboot is
 *    known to have applied it: the user reboots, reads `SHOW max_connections`, and sets
 *    `webfleet:dbMaxConnectionsConfirmed` to it. Only a confirmation equal to the
 *    parameter group's deployed value raises the trusted limit; any other value can only
 *    lower it.
 * 6. Reserved connections: during the change the larger of the old and new reservation.
 *
 * ## Each `up` takes the largest safe step
 *
 * The target is the at-rest plan of the new settings (lib/capacity.ts). An `up` sets the
 * largest pool b ≤ target that satisfies both inequalities above. Lowering
 * max_connections (or moving to a smaller class, which lowers its safe value) waits: if the
 * deployed pools do not leave room for a usable step (b ≥ dbPoolMinPerTask) at the lower
 * limit, this `up` keeps the deployed max_connections and instance class and only shrinks
 * the pools to the target; the next `up` lowers the limit.
 *
 * ## How a pool increase converges (decided)
 *
 * A bigger pool can overshoot only through the old tasks: with b ≥ a, worst ≤ b × C, and
 * C = T once the deployed ceiling and P are the new ones. So an increase that the first
 * `up` cannot reach (the ceiling or P went down in the same change) is reached by the
 * second: the first applies the new ceiling and P with the largest pool safe under the old
 * ones, and the output records them; in the next `up`, the transition bound is implied by
 * the at-rest bound, which the target satisfies. An increase that needs a higher
 * max_connections waits for the reboot to be confirmed, then takes at most two `up`s the
 * same way. No staging by hand, no geometric series of small steps.
 */
import { CapacityInput, CapacityPlan, largestFitting, peakTasks, planCapacity } from "./capacity";
import { ConfigProblem, problem } from "./problems";

/** What the last `up` deployed, as read back from the stack's own `capacityPlan` output. */
export interface DeployedPlan {
    readonly maxReplicas: number;
    readonly poolPerTask: number;
    /** The value in the parameter group (applied, or waiting for a reboot). */
    readonly dbMaxConnections: number;
    /** The value the budget trusts to be live. Outputs older than this model: dbMaxConnections. */
    readonly dbMaxConnectionsLive: number;
    readonly dbReservedConnections: number;
    /** Outputs older than this model do not carry it; then the largest ECS allows is assumed (200). */
    readonly deploymentMaximumPercent: number | undefined;
    readonly dbInstanceClass: string | undefined;
    readonly dbEngineVersion: string | undefined;
}

/** The new settings, as far as the budget through a change is concerned. */
export interface TransitionInput extends CapacityInput {
    readonly dbInstanceClass: string;
    readonly dbEngineVersion: string;
    /** `webfleet:dbMaxConnectionsConfirmed`: what `SHOW max_connections` said after a reboot; undefined when unset. */
    readonly dbMaxConnectionsConfirmed: number | undefined;
}

/** ECS's largest deploymentMaximumPercent that webfleet allows; assumed for deployed plans that do not say. */
export const ASSUMED_DEPLOYED_PERCENT = 200;

export interface TransitionPlan {
    /** No deployed plan: the database is created with its parameter group, so its limit is live. */
    readonly firstDeploy: boolean;
    /** DB_POOL_MAX this `up` sets. */
    readonly poolPerTask: number;
    /** DB_POOL_MAX the new settings aim for (the at-rest plan). */
    readonly targetPoolPerTask: number;
    /** max_connections this `up` writes into the parameter group. */
    readonly dbMaxConnections: number;
    /** Instance class this `up` sets (the deployed one while a lower limit waits). */
    readonly dbInstanceClass: string;
    /** What the budget trusts the database to allow, during and after this `up`. */
    readonly liveMaxConnections: number;
    /** Most connections the fleet may hold while this `up` rolls out (reserved included). */
    readonly peakDuringChange: number;
    /** Peak tasks at rest × poolPerTask + reserved, under the new settings. */
    readonly peakAtRest: number;
    /** Further `up`s that reach the target (after the reboot, when one is pending). */
    readonly remainingUps: number;
    /** A higher max_connections sits in the parameter group, waiting for a reboot to be confirmed. */
    readonly waitsForReboot: boolean;
    /** What a reviewer should know: held changes, a pending reboot, what the app does meanwhile. */
    readonly notes: readonly string[];
}

export type TransitionResult =
    | { readonly ok: true; readonly plan: TransitionPlan }
    | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** The shape of the rollout: who may run at once. */
export interface Rollout {
    /** Pool of the tasks of the deployed task definition. */
    readonly oldPool: number;
    /** Pool of the new tasks. */
    readonly newPool: number;
    /** Most old tasks: the deployed ceiling. */
    readonly oldTasks: number;
    /** Most desired tasks during the change: max of the old and new ceilings. */
    readonly desired: number;
    /** floor(desired × P / 100): ECS's cap on running + pending. */
    readonly cap: number;
    readonly reserved: number;
}

/** Connections at the worst moment of a rollout: the larger pool on as many tasks as allowed. */
export function worstDuringRollout(r: Rollout): number {
    if (r.newPool >= r.oldPool) {
        const fresh = Math.min(r.desired, r.cap);
        const old = Math.min(r.oldTasks, r.cap - fresh);
        return fresh * r.newPool + old * r.oldPool + r.reserved;
    }
    const old = Math.min(r.oldTasks, r.cap);
    const fresh = Math.min(r.desired, r.cap - old);
    return old * r.oldPool + fresh * r.newPool + r.reserved;
}

/** Largest n in [lo, hi] with fits(n) (fits monotone: true up to some point), or lo − 1 when none. */
function largest(lo: number, hi: number, fits: (n: number) => boolean): number {
    return hi < lo ? lo - 1 : largestFitting(hi, (n) => n < lo || fits(n));
}

/** The limit the budget may trust, given the deployed plan and a confirmation (assumption 5). */
export function trustedLiveLimit(deployed: DeployedPlan, confirmed: number | undefined): number {
    if (confirmed === undefined) {
        return deployed.dbMaxConnectionsLive;
    }
    return confirmed === deployed.dbMaxConnections ? confirmed : Math.min(deployed.dbMaxConnectionsLive, confirmed);
}

interface Candidate {
    readonly pool: number;
    readonly maxConnections: number;
    readonly instanceClass: string;
    readonly live: number;
    readonly peakDuringChange: number;
}

/**
 * The largest pool for one `up` writing `maxConnections`, or undefined when not even a
 * pool of 1 fits the change.
 */
function candidate(deployed: DeployedPlan, next: TransitionInput, trusted: number, target: number, maxConnections: number, instanceClass: string): Candidate | undefined {
    const live = Math.min(trusted, maxConnections);
    const restPeak = peakTasks(next.maxReplicas, next.deploymentMaximumPercent);
    const atRest = Math.floor((live - next.dbReservedConnections) / restPeak);
    const percent = Math.max(deployed.deploymentMaximumPercent ?? ASSUMED_DEPLOYED_PERCENT, next.deploymentMaximumPercent);
    const desired = Math.max(deployed.maxReplicas, next.maxReplicas);
    const shape = (newPool: number): Rollout => ({
        oldPool: deployed.poolPerTask,
        newPool,
        oldTasks: deployed.maxReplicas,
        desired,
        cap: peakTasks(desired, percent),
        reserved: Math.max(deployed.dbReservedConnections, next.dbReservedConnections),
    });
    const pool = largest(1, Math.min(target, atRest), (b) => worstDuringRollout(shape(b)) <= live);
    if (pool < 1) {
        return undefined;
    }
    return { pool, maxConnections, instanceClass, live, peakDuringChange: worstDuringRollout(shape(pool)) };
}

/** The deployed plan this `up` leaves behind, as the next `up` will read it back. */
export function asDeployed(next: TransitionInput, plan: TransitionPlan): DeployedPlan {
    return {
        maxReplicas: next.maxReplicas,
        poolPerTask: plan.poolPerTask,
        dbMaxConnections: plan.dbMaxConnections,
        dbMaxConnectionsLive: plan.liveMaxConnections,
        dbReservedConnections: next.dbReservedConnections,
        deploymentMaximumPercent: next.deploymentMaximumPercent,
        dbInstanceClass: plan.dbInstanceClass,
        dbEngineVersion: next.dbEngineVersion,
    };
}

/** True when the plan sets everything the settings ask for. */
function reached(next: TransitionInput, plan: TransitionPlan): boolean {
    return plan.poolPerTask === plan.targetPoolPerTask && plan.dbMaxConnections === next.dbMaxConnections && plan.dbInstanceClass === next.dbInstanceClass;
}

/** Upper bound on the `up`s a change takes; the property tests prove far fewer are needed. */
export const MAX_STEPS = 8;

/**
 * One `up`: what it sets, what it leaves for later, and the peak while it rolls out.
 * Fails only when the new settings do not fit at rest (lib/capacity.ts), when they would
 * downgrade PostgreSQL, or when not even the held change fits (a deployed plan that is
 * already over its own limit, or reserved connections raised past the room left).
 */
export function planTransition(deployed: DeployedPlan | undefined, next: TransitionInput): TransitionResult {
    const result = step(deployed, next);
    if (!result.ok) {
        return result;
    }
    let remainingUps = 0;
    let current = result.plan;
    // Simulate the next `up`s with the same settings, the reboot confirmed when one is pending.
    while (!reached(next, current) && remainingUps < MAX_STEPS) {
        const after = asDeployed(next, current);
        const confirmed = current.waitsForReboot ? after.dbMaxConnections : next.dbMaxConnectionsConfirmed;
        const following = step(after, { ...next, dbMaxConnectionsConfirmed: confirmed });
        if (!following.ok) {
            break;
        }
        current = following.plan;
        remainingUps += 1;
    }
    return { ok: true, plan: { ...result.plan, remainingUps } };
}

function step(deployed: DeployedPlan | undefined, next: TransitionInput): TransitionResult {
    const rest = planCapacity(next);
    if (!rest.ok) {
        return rest;
    }
    const target = rest.plan.poolPerTask;
    if (deployed === undefined) {
        return {
            ok: true,
            plan: {
                firstDeploy: true,
                poolPerTask: target,
                targetPoolPerTask: target,
                dbMaxConnections: next.dbMaxConnections,
                dbInstanceClass: next.dbInstanceClass,
                liveMaxConnections: next.dbMaxConnections,
                peakDuringChange: rest.plan.peakConnections,
                peakAtRest: rest.plan.peakConnections,
                remainingUps: 0,
                waitsForReboot: false,
                notes: [],
            },
        };
    }
    const downgrade = engineDowngrade(deployed, next);
    if (downgrade) {
        return { ok: false, problems: [downgrade] };
    }

    const trusted = trustedLiveLimit(deployed, next.dbMaxConnectionsConfirmed);
    const notes: string[] = [];
    const full = candidate(deployed, next, trusted, target, next.dbMaxConnections, next.dbInstanceClass);
    let chosen = full !== undefined && full.pool >= Math.min(next.dbPoolMinPerTask, target) ? full : undefined;
    if (chosen === undefined && next.dbMaxConnections < deployed.dbMaxConnections) {
        // Lowering the limit waits until the pools have shrunk: keep the deployed limit and class.
        const heldClass = deployed.dbInstanceClass ?? next.dbInstanceClass;
        chosen = candidate(deployed, next, trusted, target, deployed.dbMaxConnections, heldClass);
        if (chosen !== undefined) {
            notes.push(
                `max_connections stays ${deployed.dbMaxConnections}` +
                    (heldClass !== next.dbInstanceClass ? ` and the instance class stays ${heldClass}` : "") +
                    ` for this up: the deployed pools (${deployed.poolPerTask} per task) do not fit ${next.dbMaxConnections} yet; ` +
                    `this up shrinks them, the next one lowers the limit.`,
            );
        }
    }
    chosen ??= full;
    if (chosen === undefined) {
        return { ok: false, problems: [noSafeStep(deployed, next, trusted)] };
    }

    const waitsForReboot = chosen.maxConnections > chosen.live;
    if (waitsForReboot) {
        notes.push(
            `max_connections ${chosen.maxConnections} waits for a reboot (static parameter); the budget keeps using ${chosen.live} until then. ` +
                `Reboot the instance, check that SHOW max_connections says ${chosen.maxConnections}, then ` +
                `\`pulumi config set dbMaxConnectionsConfirmed ${chosen.maxConnections}\` and run \`pulumi up\` again. ` +
                `Meanwhile each task reads SHOW max_connections at start and never opens more than its share of the live limit.`,
        );
    }
    if (next.dbMaxConnectionsConfirmed !== undefined && next.dbMaxConnectionsConfirmed !== deployed.dbMaxConnections) {
        notes.push(
            `dbMaxConnectionsConfirmed ${next.dbMaxConnectionsConfirmed} is not the deployed parameter group's ` +
                `max_connections (${deployed.dbMaxConnections}): it cannot raise the trusted limit (${trusted}); unset it once nothing waits for a reboot.`,
        );
    }
    if (chosen.pool < target) {
        notes.push(
            `pool per task ${chosen.pool} this up, ${target} when the change is complete: a bigger pool now could exceed ` +
                `${chosen.live} connections while old and new tasks run side by side.`,
        );
    }
    const restPeak = peakTasks(next.maxReplicas, next.deploymentMaximumPercent);
    return {
        ok: true,
        plan: {
            firstDeploy: false,
            poolPerTask: chosen.pool,
            targetPoolPerTask: target,
            dbMaxConnections: chosen.maxConnections,
            dbInstanceClass: chosen.instanceClass,
            liveMaxConnections: chosen.live,
            peakDuringChange: chosen.peakDuringChange,
            peakAtRest: restPeak * chosen.pool + next.dbReservedConnections,
            remainingUps: 0,
            waitsForReboot,
            notes,
        },
    };
}

/** RDS refuses to downgrade PostgreSQL; say so before a deploy tries. */
export function engineDowngrade(deployed: DeployedPlan, next: Pick<TransitionInput, "dbEngineVersion">): ConfigProblem | undefined {
    if (deployed.dbEngineVersion === undefined || Number(next.dbEngineVersion) >= Number(deployed.dbEngineVersion)) {
        return undefined;
    }
    return problem(
        "dbEngineVersion",
        next.dbEngineVersion,
        `the deployed database runs PostgreSQL ${deployed.dbEngineVersion}, and RDS cannot downgrade it; use ` +
            `${deployed.dbEngineVersion} or later (going back needs a new database restored from a dump).`,
    );
}

function noSafeStep(deployed: DeployedPlan, next: TransitionInput, trusted: number): ConfigProblem {
    const live = Math.min(trusted, next.dbMaxConnections);
    const restPeak = peakTasks(next.maxReplicas, next.deploymentMaximumPercent);
    if (restPeak + next.dbReservedConnections > live) {
        // The new settings fit only the higher max_connections, which is not live yet.
        return problem(
            "maxReplicas",
            next.maxReplicas,
            `peak tasks ${restPeak} need more connections than the database allows until a reboot applies ` +
                `max_connections ${next.dbMaxConnections} (live: ${live}; ${restPeak} tasks × 1 + reserved ` +
                `${next.dbReservedConnections} = ${restPeak + next.dbReservedConnections}). Keep maxReplicas at ` +
                `${deployed.maxReplicas} for now: run \`pulumi up\` with the new dbMaxConnections or dbInstanceClass, reboot ` +
                `the instance, set dbMaxConnectionsConfirmed, then raise maxReplicas.`,
        );
    }
    const reserved = Math.max(deployed.dbReservedConnections, next.dbReservedConnections);
    const oldHold = deployed.maxReplicas * deployed.poolPerTask + reserved;
    if (next.dbReservedConnections > deployed.dbReservedConnections) {
        return problem(
            "dbReservedConnections",
            next.dbReservedConnections,
            `the deployed ${deployed.maxReplicas} tasks × pool ${deployed.poolPerTask} + reserved ${reserved} = ${oldHold} ` +
                `connections leave no room for a single new task within the live limit ${live}. Raise ` +
                `dbReservedConnections after an \`up\` that shrinks the pools (lower dbPoolMaxPerTask first).`,
        );
    }
    const oldPercent = deployed.deploymentMaximumPercent ?? ASSUMED_DEPLOYED_PERCENT;
    if (next.deploymentMaximumPercent > oldPercent) {
        return problem(
            "deploymentMaximumPercent",
            next.deploymentMaximumPercent,
            `raising it from ${oldPercent} lets ECS start more new tasks while the deployed ${deployed.maxReplicas} tasks × ` +
                `pool ${deployed.poolPerTask} + reserved ${reserved} = ${oldHold} connections still run, and no pool of 1 or more ` +
                `fits the live limit ${live}. Change deploymentMaximumPercent in an \`up\` of its own, before or after the other changes.`,
        );
    }
    // A ceiling raised so far that the old tasks and the new ones, even with a pool of 1, overflow.
    const fits = (ceiling: number): boolean =>
        candidate(deployed, { ...next, maxReplicas: ceiling, replicas: Math.min(next.replicas, ceiling) }, trusted, 1, next.dbMaxConnections, next.dbInstanceClass) !== undefined;
    const between = largest(deployed.maxReplicas, next.maxReplicas, fits);
    // Only a ceiling above the deployed one is a step: at the deployed ceiling nothing changes.
    const advice =
        between > deployed.maxReplicas
            ? `Raise maxReplicas to at most ${between} in this \`up\`, and to ${next.maxReplicas} in the next.`
            : `Lower dbPoolMaxPerTask in one \`up\` first, then raise maxReplicas.`;
    return problem(
        "maxReplicas",
        next.maxReplicas,
        `this change cannot roll out within the live limit ${live}: the deployed ${deployed.maxReplicas} tasks × pool ` +
            `${deployed.poolPerTask} + reserved ${reserved} = ${oldHold} connections, plus up to ` +
            `${Math.max(deployed.maxReplicas, next.maxReplicas)} new tasks with even 1 connection each, is too many. ${advice}`,
    );
}

/** The `capacityPlan` stack output: the at-rest plan of what this `up` sets, and the change. */
/**
 * The `capacityPlan` stack output: the at-rest plan (lib/capacity.ts fields) of what this
 * `up` sets — dbMaxConnections is the parameter group's value, poolPerTask the DB_POOL_MAX
 * this `up` sets, peakConnections ≤ dbMaxConnectionsLive — and the change.
 */
export interface CapacityPlanOutput extends CapacityPlan {
    readonly deploymentMaximumPercent: number;
    readonly dbInstanceClass: string;
    readonly dbEngineVersion: string;
    /** The limit the budget trusts to be live (the next `up` reads it back). */
    readonly dbMaxConnectionsLive: number;
    readonly transition: {
        readonly firstDeploy: boolean;
        readonly targetPoolPerTask: number;
        readonly remainingUps: number;
        readonly peakDuringChange: number;
        readonly waitsForReboot: boolean;
        readonly notes: readonly string[];
    };
}

export function capacityOutput(next: TransitionInput, plan: TransitionPlan): CapacityPlanOutput {
    const peak = peakTasks(next.maxReplicas, next.deploymentMaximumPercent);
    return {
        replicas: next.replicas,
        maxReplicas: next.maxReplicas,
        peakTasks: peak,
        dbMaxConnections: plan.dbMaxConnections,
        dbReservedConnections: next.dbReservedConnections,
        poolPerTask: plan.poolPerTask,
        peakConnections: plan.peakAtRest,
        deploymentMaximumPercent: next.deploymentMaximumPercent,
        dbInstanceClass: plan.dbInstanceClass,
        dbEngineVersion: next.dbEngineVersion,
        dbMaxConnectionsLive: plan.liveMaxConnections,
        transition: {
            firstDeploy: plan.firstDeploy,
            targetPoolPerTask: plan.targetPoolPerTask,
            remainingUps: plan.remainingUps,
            peakDuringChange: plan.peakDuringChange,
            waitsForReboot: plan.waitsForReboot,
            notes: plan.notes,
        },
    };
}

/**
 * The deployed plan from the stack's last `capacityPlan` output: undefined when there is
 * none (first deploy). Outputs written before this model lack the newer fields; they are
 * read with the assumptions documented on DeployedPlan. Anything else unreadable is an
 * error naming the field, not a silent first deploy (that would size pools as if nothing ran).
 */
export function readDeployedPlan(value: unknown): DeployedPlan | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
        throw new Error(`the stack's last capacityPlan output is ${JSON.stringify(value)}, not an object; cannot plan the change from it`);
    }
    const fields = new Map(Object.entries(value));
    const count = (key: string, optional: boolean): number | undefined => {
        const v = fields.get(key);
        if (v === undefined && optional) {
            return undefined;
        }
        if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
            throw new Error(`the stack's last capacityPlan output has ${key} = ${JSON.stringify(v)}, expected a whole number; cannot plan the change from it`);
        }
        return v;
    };
    const text = (key: string): string | undefined => {
        const v = fields.get(key);
        return typeof v === "string" ? v : undefined;
    };
    const dbMaxConnections = count("dbMaxConnections", false) ?? 0;
    return {
        maxReplicas: count("maxReplicas", false) ?? 0,
        poolPerTask: count("poolPerTask", false) ?? 0,
        dbMaxConnections,
        dbMaxConnectionsLive: count("dbMaxConnectionsLive", true) ?? dbMaxConnections,
        dbReservedConnections: count("dbReservedConnections", false) ?? 0,
        deploymentMaximumPercent: count("deploymentMaximumPercent", true),
        dbInstanceClass: text("dbInstanceClass"),
        dbEngineVersion: text("dbEngineVersion"),
    };
}
