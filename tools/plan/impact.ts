/**
 * What a change does to the running fleet, in plain words: restarts, reboots, rolling
 * deploys, failovers, and what Pulumi will refuse. Pure: reads a ResourceChange and the
 * resource's new inputs.
 */
import { DiffableResource, ResourceChange } from "./diff";

function changed(c: ResourceChange, input: string): { before?: string; after?: string } | undefined {
    return c.properties.find((p) => p.path === input || p.path.startsWith(`${input}.`) || p.path.startsWith(`${input}[`));
}

/** `"410"` → `410`: values are shown as JSON in the diff, in words without quotes. */
function plain(v: string | undefined): string {
    return v === undefined ? "-" : v.replace(/^"(.*)"$/, "$1");
}

/** Static (pending-reboot) parameters whose value changed, as `name before → after`. */
function pendingRebootParameters(c: ResourceChange, inputs: Readonly<Record<string, unknown>>): string[] {
    const params = Array.isArray(inputs["parameters"]) ? inputs["parameters"] : [];
    const isStatic = (name: string): boolean =>
        params.some((p: unknown) => typeof p === "object" && p !== null && "name" in p && p.name === name && "applyMethod" in p && p.applyMethod === "pending-reboot");
    return c.properties
        .map((p) => ({ p, m: /^parameters\[([^\]]+)\]\.value$/.exec(p.path) }))
        .filter(({ m }) => m !== null && isStatic(m[1]))
        .map(({ p, m }) => `${m?.[1] ?? "?"} ${plain(p.before)} → ${plain(p.after)}`);
}

export function impactsOf(c: ResourceChange, after: DiffableResource | undefined): string[] {
    const notes: string[] = [];
    const inputs = after?.inputs ?? {};
    if (c.protect && (c.op === "replace" || c.op === "delete")) {
        notes.push(`protected: \`pulumi up\` refuses to ${c.op} it until the program drops \`protect\``);
    }
    if (c.op === "replace") {
        notes.push(
            c.deleteBeforeReplace
                ? "deleted BEFORE its replacement is created (deleteBeforeReplace): it is gone in between"
                : "replacement is created first, then the old one deleted",
        );
    }
    switch (c.type) {
        case "aws:ecs/taskDefinition:TaskDefinition":
            if (c.op === "replace") {
                notes.push("new task definition revision: the service does a rolling deploy (new tasks start, old ones drain; no restart of the fleet at once)");
            }
            break;
        case "aws:ecs/service:Service": {
            if (c.properties.some((p) => p.path === "taskDefinition")) {
                notes.push(`rolling deploy: ECS starts tasks of the new revision (up to ${String(inputs["deploymentMaximumPercent"] ?? 200)}% of desired) and drains the old ones`);
            }
            const desired = changed(c, "desiredCount");
            if (desired) {
                notes.push(`ECS runs ${plain(desired.after)} tasks instead of ${plain(desired.before)}`);
            }
            const ignored = c.ignored.find((p) => p.path === "desiredCount");
            if (ignored) {
                notes.push(`desiredCount ${plain(ignored.before)} → ${plain(ignored.after)} is ignored (ignoreChanges): \`pulumi preview\` does not show it; autoscaling owns the running count and the floor is the scaling target's minCapacity`);
            }
            break;
        }
        case "aws:rds/instance:Instance": {
            const when = inputs["applyImmediately"] === true ? "now (applyImmediately)" : "at the next maintenance window (applyImmediately is off)";
            const cls = changed(c, "instanceClass");
            if (cls) {
                notes.push(`RDS restarts the instance to change class ${plain(cls.before)} → ${plain(cls.after)}, ${when}; with Multi-AZ it fails over to the standby first (a minute or two of reconnects)`);
            }
            const version = changed(c, "engineVersion");
            if (version) {
                notes.push(`engine version change restarts the instance, ${when}`);
                const major = (v: string | undefined): string => plain(v).split(".")[0];
                if (major(version.before) !== major(version.after) && inputs["allowMajorVersionUpgrade"] !== true) {
                    notes.push("a MAJOR version upgrade needs allowMajorVersionUpgrade: true on the instance; without it RDS refuses and `pulumi up` fails");
                }
            }
            if (changed(c, "parameterGroupName")) {
                notes.push("a different parameter group attaches now but its static parameters apply only at the next reboot");
            }
            if (changed(c, "multiAz")) {
                notes.push(`Multi-AZ change, ${when}: no restart, but a standby is created or removed (and billed)`);
            }
            if (changed(c, "allocatedStorage")) {
                notes.push("storage grows online (no restart); it can never shrink back");
            }
            break;
        }
        case "aws:rds/parameterGroup:ParameterGroup": {
            const statics = pendingRebootParameters(c, inputs);
            if (statics.length > 0) {
                notes.push(`${statics.join(", ")}: static (pending-reboot), reaches PostgreSQL only at the instance's next reboot, not at the maintenance window`);
            }
            break;
        }
        case "aws:elasticache/replicationGroup:ReplicationGroup": {
            const node = changed(c, "nodeType");
            if (node) {
                notes.push(`ElastiCache moves to ${plain(node.after)} nodes: new nodes are built and the primary fails over (clients reconnect; minutes to an hour)`);
            }
            if (changed(c, "numCacheClusters")) {
                notes.push("replica nodes are added or removed (no restart of the primary)");
            }
            break;
        }
        case "aws:appautoscaling/target:Target": {
            const min = changed(c, "minCapacity");
            if (min) {
                notes.push(`autoscaling floor ${plain(min.before)} → ${plain(min.after)}: raising it above the running count starts tasks at once`);
            }
            break;
        }
        case "aws:lb/loadBalancer:LoadBalancer":
            if (c.op === "replace") {
                notes.push("a new load balancer has a new DNS name: clients of the old one break");
            }
            break;
        default:
            break;
    }
    return notes;
}
