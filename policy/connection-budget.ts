/**
 * The connection budget, checked on the resources themselves rather than on config:
 * whatever produced them (our config code, a hand edit, a future refactor), the tasks
 * alive at the peak of a deploy or scale-out must not ask PostgreSQL for more
 * connections than its parameter group allows.
 *
 *     peak  = Σ services floor(max(autoscaling maxCapacity, desiredCount) × deploymentMaximumPercent / 100)
 *     need  = peak × DB_POOL_MAX + reserved        (reserved: DB_RESERVED_CONNECTIONS, else 3)
 *     allow = max_connections in the RDS parameter group, or the live limit tagged on it
 *             (webfleet:live-max-connections) when lower: a raised value waits for a reboot
 *     require need ≤ allow
 *
 * This is the at-rest check. The check of the rollout from the deployed task definition to
 * the new one needs the deployed plan, which a policy does not see; the program makes it
 * (lib/transition.ts) and fails the preview when no safe step exists.
 *
 * The same arithmetic as lib/capacity.ts, written again on purpose: a policy pack is
 * loaded (and may be published) on its own, so it cannot import the program's code, and
 * an independent check is the point of a guardrail.
 */
import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { environmentOf, parseContainerDefinitions } from "./container-definitions";
import { isRecord } from "./is-record";
import { TYPES, num, records, str } from "./props";

/** Tag the program puts on the parameter group: the max_connections it trusts to be live. */
export const LIVE_MAX_CONNECTIONS_TAG = "webfleet:live-max-connections";

/** PostgreSQL's superuser_reserved_connections; the least any budget must keep back. */
export const FALLBACK_RESERVED_CONNECTIONS = 3;
/** ECS's default `deploymentMaximumPercent`. */
export const DEFAULT_DEPLOYMENT_MAXIMUM_PERCENT = 200;

const FIX =
    "Lower `webfleet:replicas`, `webfleet:maxReplicas` or `webfleet:deploymentMaximumPercent`, or raise " +
    "`webfleet:dbMaxConnections` (or pick a larger `webfleet:dbInstanceClass`). DB_POOL_MAX is computed from " +
    "these keys by lib/capacity.ts; if it was set by hand, remove that.";

interface ServicePeak {
    readonly service: string;
    readonly desiredCount: number;
    readonly maxCapacity: number | undefined;
    readonly percent: number;
    readonly peak: number;
}

interface PoolSize {
    readonly task: string;
    readonly urn: string;
    readonly pool: number;
    readonly reserved: number | undefined;
}

function ofType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
    return resources.filter((r) => r.type === type);
}

/**
 * The autoscaling ceiling for a service. With a single service every ECS scalable target
 * belongs to it, and we do not read `resourceId` at all (during a preview it may not be
 * known yet). With several, a target belongs to the service whose name ends its
 * `resourceId` (`service/<cluster>/<service>`).
 */
function maxCapacityFor(service: PolicyResource, targets: readonly PolicyResource[], serviceCount: number): number | undefined {
    let owned = targets;
    if (serviceCount > 1) {
        const name = str(service.props, "name");
        owned = targets.filter((t) => name !== undefined && (str(t.props, "resourceId") ?? "").endsWith(`/${name}`));
    }
    const caps = owned.map((t) => num(t.props, "maxCapacity")).filter((c): c is number => c !== undefined);
    return caps.length > 0 ? Math.max(...caps) : undefined;
}

export function servicePeaks(resources: readonly PolicyResource[]): ServicePeak[] {
    const services = ofType(resources, TYPES.service);
    const targets = ofType(resources, TYPES.scalingTarget).filter((t) => str(t.props, "serviceNamespace") === "ecs");
    return services.map((s) => {
        const desiredCount = num(s.props, "desiredCount") ?? 0;
        const percent = num(s.props, "deploymentMaximumPercent") ?? DEFAULT_DEPLOYMENT_MAXIMUM_PERCENT;
        const maxCapacity = maxCapacityFor(s, targets, services.length);
        const peak = Math.floor((Math.max(maxCapacity ?? 0, desiredCount) * percent) / 100);
        return { service: s.name, desiredCount, maxCapacity, percent, peak };
    });
}

function describePeak(p: ServicePeak): string {
    const tasks =
        p.maxCapacity === undefined
            ? `desiredCount ${p.desiredCount}`
            : `max(desiredCount ${p.desiredCount}, autoscaling maxCapacity ${p.maxCapacity})`;
    return `${p.peak} for service ${p.service} (${tasks} × deploymentMaximumPercent ${p.percent} / 100, rounded down)`;
}

function validateBudget(args: StackValidationArgs, report: ReportViolation): void {
    const tasks = ofType(args.resources, TYPES.taskDefinition);
    const groups = ofType(args.resources, TYPES.parameterGroup);
    if (tasks.length === 0 && groups.length === 0) {
        args.notApplicable("the stack has no ECS task definition and no RDS parameter group");
    }

    // What the database allows: the smallest explicit max_connections, which must be static.
    let allow: { value: number; group: PolicyResource; pending: number | undefined } | undefined;
    for (const group of groups) {
        const param = records(group.props, "parameters").find((p) => str(p, "name") === "max_connections");
        if (!param) {
            continue;
        }
        const value = num(param, "value");
        if (value === undefined) {
            report(`Parameter group ${group.name} sets max_connections to ${JSON.stringify(param["value"])}; it must be a whole number.`, group.urn);
            continue;
        }
        if (str(param, "applyMethod") !== "pending-reboot") {
            report(
                `Parameter group ${group.name} sets max_connections with applyMethod ${JSON.stringify(param["applyMethod"] ?? "immediate")}; ` +
                    `max_connections is static in PostgreSQL, so set applyMethod: "pending-reboot" (RDS rejects "immediate").`,
                group.urn,
            );
        }
        // The program tags the limit it trusts to be live; a raise sitting in the group waits for a reboot.
        const live = num(isRecord(group.props["tags"]) ? group.props["tags"] : {}, LIVE_MAX_CONNECTIONS_TAG);
        const effective = live !== undefined && live < value ? live : value;
        if (allow === undefined || effective < allow.value) {
            allow = { value: effective, group, pending: effective < value ? value : undefined };
        }
    }

    // What the tasks ask for: each task definition's DB_POOL_MAX.
    const pools: PoolSize[] = [];
    for (const task of tasks) {
        const parsed = parseContainerDefinitions(task.props["containerDefinitions"]);
        if (!parsed.ok) {
            report(`Task definition ${task.name}: ${parsed.error}, so its DB_POOL_MAX cannot be checked.`, task.urn);
            continue;
        }
        const env = environmentOf(parsed.containers);
        const rawPool = env.get("DB_POOL_MAX");
        if (rawPool === undefined) {
            report(
                `Task definition ${task.name} has no DB_POOL_MAX in its environment, so its pool size is the driver's ` +
                    `default and outside the connection budget. Pass the capacity plan's poolPerTask as DB_POOL_MAX.`,
                task.urn,
            );
            continue;
        }
        const pool = Number(rawPool);
        if (!Number.isInteger(pool) || pool < 1) {
            report(`Task definition ${task.name} sets DB_POOL_MAX to ${JSON.stringify(rawPool)}; it must be a whole number ≥ 1.`, task.urn);
            continue;
        }
        const rawReserved = env.get("DB_RESERVED_CONNECTIONS");
        const reserved = rawReserved === undefined ? undefined : Number(rawReserved);
        pools.push({ task: task.name, urn: task.urn, pool, reserved: Number.isInteger(reserved) ? reserved : undefined });
    }

    if (pools.length === 0) {
        return;
    }
    if (allow === undefined) {
        report(
            `Tasks open up to DB_POOL_MAX connections each, but no RDS parameter group sets max_connections, so the ` +
                `budget cannot be checked (the default depends on instance memory). Set max_connections explicitly ` +
                `(webfleet:dbMaxConnections) with applyMethod "pending-reboot".`,
        );
        return;
    }

    // Conservative when there are several: the largest pool and the most reserved slots.
    const biggest = pools.reduce((a, b) => (b.pool > a.pool ? b : a));
    const declared = pools.map((p) => p.reserved).filter((r): r is number => r !== undefined);
    const reserved = declared.length > 0 ? Math.max(...declared) : FALLBACK_RESERVED_CONNECTIONS;
    const reservedSource =
        declared.length > 0
            ? `DB_RESERVED_CONNECTIONS ${reserved}`
            : `reserved ${reserved} (DB_RESERVED_CONNECTIONS is not set on the container; assumed PostgreSQL's ${FALLBACK_RESERVED_CONNECTIONS})`;
    const peaks = servicePeaks(args.resources);
    const peak = peaks.reduce((sum, p) => sum + p.peak, 0);
    const need = peak * biggest.pool + reserved;
    if (need > allow.value) {
        const peakText = peaks.length > 0 ? peaks.map(describePeak).join(" + ") : "0 (no ECS service found)";
        report(
            `Connection budget exceeded: peak tasks ${peakText} × DB_POOL_MAX ${biggest.pool} (task definition ${biggest.task}) ` +
                `+ ${reservedSource} = ${need} connections, but max_connections in parameter group ${allow.group.name} ` +
                `is ${allow.value}${allow.pending === undefined ? "" : ` live (${allow.pending} waits for a reboot)`}. ${FIX}`,
            allow.group.urn,
        );
    }
}

export const connectionBudget: StackValidationPolicy = {
    name: "connection-budget-fits",
    description:
        "Tasks' DB_POOL_MAX × peak tasks (deploys and autoscaling included) + reserved connections must not exceed the parameter group's max_connections.",
    enforcementLevel: "mandatory",
    validateStack: validateBudget,
};
