/**
 * Text for the offline plan: the capacity table with its arithmetic, the resources by
 * component, and the differences between two plans. Pure string building.
 */
import { CapacityPlan, Plan, PlannedResource, capacityKeys } from "./model";

function table(rows: readonly (readonly string[])[]): string[] {
    const widths: number[] = [];
    for (const row of rows) {
        row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
    }
    return rows.map((row) =>
        row
            .map((cell, i) => (i === row.length - 1 ? cell : /^\d/.test(cell) && i > 0 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
            .join("  ")
            .trimEnd(),
    );
}

function describeOverrides(overrides: Readonly<Record<string, string>>): string {
    const sets = Object.entries(overrides).map(([k, v]) => `${k}=${v}`);
    return sets.length === 0 ? "" : ` with ${sets.join(", ")}`;
}

/** The capacity plan, one row per quantity, with how each derived number was reached. */
export function formatCapacity(plan: Pick<Plan, "stack" | "overrides" | "capacity" | "deploymentMaximumPercent" | "dbPoolMaxPerTask">): string[] {
    const c = plan.capacity;
    const p = plan.deploymentMaximumPercent;
    const usable = c.dbMaxConnections - c.dbReservedConnections;
    const cap = plan.dbPoolMaxPerTask === undefined ? "" : `min(dbPoolMaxPerTask ${plan.dbPoolMaxPerTask}, `;
    const fits = c.peakConnections <= c.dbMaxConnections ? "≤" : ">";
    const rows: string[][] = [
        ["replicas", String(c.replicas), "desired tasks; autoscaling floor"],
        ["maxReplicas", String(c.maxReplicas), c.maxReplicas === c.replicas ? "autoscaling off" : "autoscaling ceiling"],
        ["peak tasks", String(c.peakTasks), p === undefined ? "during a deploy at the ceiling" : `floor(${c.maxReplicas} × ${p} / 100): deploy at the autoscaling ceiling`],
        ["dbMaxConnections", String(c.dbMaxConnections), "max_connections in the parameter group"],
        ["dbReservedConnections", String(c.dbReservedConnections), "superuser, RDS automation, admin, migrations"],
        ["pool per task", String(c.poolPerTask), `${cap}floor((${c.dbMaxConnections} − ${c.dbReservedConnections}) / ${c.peakTasks}) = floor(${usable} / ${c.peakTasks})${cap ? ")" : ""}; DB_POOL_MAX`],
        ["peak connections", String(c.peakConnections), `${c.peakTasks} × ${c.poolPerTask} + ${c.dbReservedConnections} ${fits} ${c.dbMaxConnections}`],
    ];
    return [`Capacity plan — stack ${plan.stack}${describeOverrides(plan.overrides)}`, ...table(rows).map((r) => `  ${r}`)];
}

function formatSettings(settings: Readonly<Record<string, string>>): string {
    return Object.entries(settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
}

/** Resources by component: type, name and the settings a reviewer cares about. */
export function formatResources(plan: Plan): string[] {
    const total = plan.components.reduce((n, c) => n + c.resources.length, 0);
    const lines = [`Resources — ${total} in ${plan.components.length} components`];
    for (const component of plan.components) {
        lines.push("", `  ${component.title}`);
        for (const row of table(component.resources.map((r) => [r.type, r.name, formatSettings(r.settings)]))) {
            lines.push(`    ${row}`);
        }
    }
    return lines;
}

export function formatPlan(plan: Plan): string {
    return [...formatCapacity(plan), "", ...formatResources(plan)].join("\n") + "\n";
}

export interface PlanDiff {
    readonly capacity: ReadonlyArray<{ readonly key: string; readonly before: number | undefined; readonly after: number | undefined }>;
    readonly added: readonly PlannedResource[];
    readonly removed: readonly PlannedResource[];
    readonly changed: ReadonlyArray<{ readonly resource: PlannedResource; readonly settings: ReadonlyArray<{ key: string; before?: string; after?: string }> }>;
}

function resourcesByKey(plan: Plan): Map<string, PlannedResource> {
    return new Map(plan.components.flatMap((c) => c.resources).map((r) => [`${r.type} ${r.key}`, r]));
}

/** What differs from `before` to `after`: capacity numbers, resources added, removed, and changed settings. */
export function diffPlans(before: Plan, after: Plan): PlanDiff {
    const capacity = [
        ...capacityKeys().map((key: keyof CapacityPlan) => ({ key, before: before.capacity[key], after: after.capacity[key] })),
        { key: "deploymentMaximumPercent", before: before.deploymentMaximumPercent, after: after.deploymentMaximumPercent },
    ].filter((row) => row.before !== row.after);
    const old = resourcesByKey(before);
    const now = resourcesByKey(after);
    const added = [...now].filter(([k]) => !old.has(k)).map(([, r]) => r);
    const removed = [...old].filter(([k]) => !now.has(k)).map(([, r]) => r);
    const changed = [...now]
        .filter(([k]) => old.has(k))
        .map(([k, r]) => {
            const was = old.get(k)?.settings ?? {};
            const keys = [...new Set([...Object.keys(was), ...Object.keys(r.settings)])];
            return { resource: r, settings: keys.filter((s) => was[s] !== r.settings[s]).map((s) => ({ key: s, before: was[s], after: r.settings[s] })) };
        })
        .filter((c) => c.settings.length > 0);
    return { capacity, added, removed, changed };
}

function side(plan: Plan): string {
    return `${plan.stack}${describeOverrides(plan.overrides)}`;
}

export function formatDiff(before: Plan, after: Plan): string {
    const diff = diffPlans(before, after);
    const lines = [`Differences — ${side(before)} → ${side(after)}`];
    if (diff.capacity.length + diff.added.length + diff.removed.length + diff.changed.length === 0) {
        return [...lines, "  none"].join("\n") + "\n";
    }
    if (diff.capacity.length > 0) {
        lines.push("  capacity");
        for (const row of table(diff.capacity.map((c) => [c.key, String(c.before ?? "-"), "→", String(c.after ?? "-")]))) {
            lines.push(`    ${row}`);
        }
    }
    for (const c of diff.changed) {
        const what = c.settings.map((s) => `${s.key} ${s.before ?? "-"} → ${s.after ?? "-"}`).join(", ");
        lines.push(`  ~ ${c.resource.type} ${c.resource.key}: ${what}`);
    }
    for (const r of diff.added) {
        lines.push(`  + ${r.type} ${r.key}`);
    }
    for (const r of diff.removed) {
        lines.push(`  - ${r.type} ${r.key}`);
    }
    return lines.join("\n") + "\n";
}
