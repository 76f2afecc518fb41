/**
 * Text for the offline plan: the changes (like `pulumi preview`), the capacity table with
 * its arithmetic, what it costs, and the resources by component. Pure string building.
 *
 * Output order (plan.ts): changes (with --against) → capacity → [transition: issue 8's
 * block goes right after capacity] → cost → warnings → resources.
 */
import { CostEstimate, formatDelta, formatUsd } from "../../lib/cost";
import { DiffableResource, ResourceChange, StackDiff, isRealChange, summaryLine } from "./diff";
import { impactsOf } from "./impact";
import { CapacityPlan, Plan, capacityKeys } from "./model";

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

/** The pool row: the at-rest formula, or, while a change is in progress, what this `up` sets and the target. */
function poolFormula(plan: Pick<Plan, "transition">, formula: string): string {
    const t = plan.transition;
    if (t === undefined || t.poolPerTask === t.targetPoolPerTask) {
        return `${formula}; DB_POOL_MAX`;
    }
    return `DB_POOL_MAX this up; target ${t.targetPoolPerTask} (see Change)`;
}

/** The capacity plan, one row per quantity, with how each derived number was reached. */
export function formatCapacity(plan: Pick<Plan, "stack" | "overrides" | "capacity" | "deploymentMaximumPercent" | "dbPoolMaxPerTask" | "transition">): string[] {
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
        ["pool per task", String(c.poolPerTask), poolFormula(plan, `${cap}floor((${c.dbMaxConnections} − ${c.dbReservedConnections}) / ${c.peakTasks}) = floor(${usable} / ${c.peakTasks})${cap ? ")" : ""}`)],
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

/** The capacity numbers that differ between two plans. */
export function capacityChanges(before: Plan, after: Plan): Array<{ key: string; before: number | undefined; after: number | undefined }> {
    return [
        ...capacityKeys().map((key: keyof CapacityPlan) => ({ key: String(key), before: before.capacity[key], after: after.capacity[key] })),
        { key: "deploymentMaximumPercent", before: before.deploymentMaximumPercent, after: after.deploymentMaximumPercent },
    ].filter((row) => row.before !== row.after);
}

function side(plan: Plan): string {
    return `${plan.stack}${describeOverrides(plan.overrides)}`;
}

const SYMBOL: Readonly<Record<ResourceChange["op"], string>> = { create: "+ ", update: "~ ", replace: "+-", delete: "- " };

/**
 * The changes from `before` to `after`, resource by resource, like `pulumi preview --diff`:
 * every changed input with its path, what replaces, what restarts (in words), what
 * ignoreChanges hides, and the CLI's summary line last.
 */
export function formatChanges(before: Plan, after: Plan, diff: StackDiff, afterResources: readonly DiffableResource[]): string[] {
    const lines = [`Changes — ${side(before)} → ${side(after)} (as \`pulumi preview\` would show them)`];
    const capacity = capacityChanges(before, after);
    if (capacity.length > 0) {
        lines.push("  capacity plan (stack output)");
        for (const row of table(capacity.map((c) => [c.key, String(c.before ?? "-"), "→", String(c.after ?? "-")]))) {
            lines.push(`    ${row}`);
        }
    }
    const byKey = new Map(afterResources.map((r) => [`${r.type} ${r.name}`, r]));
    for (const c of diff.changes) {
        const real = isRealChange(c);
        const notes = impactsOf(c, byKey.get(`${c.type} ${c.name}`));
        if (!real && notes.length === 0) {
            continue;
        }
        lines.push(real ? `  ${SYMBOL[c.op]} ${c.op.padEnd(7)} ${c.type} ${c.key}` : `    (no change) ${c.type} ${c.key}`);
        for (const p of c.properties) {
            const why = p.replaces ? `  [replaces: ${p.replaces}]` : p.mayReplace ? `  [${p.mayReplace}]` : "";
            lines.push(`        ${p.path}: ${p.before ?? "(none)"} → ${p.after ?? "(none)"}${why}`);
        }
        for (const note of notes) {
            lines.push(`        ↳ ${note}`);
        }
    }
    if (diff.changes.filter(isRealChange).length === 0 && capacity.length === 0) {
        lines.push("  no changes");
    }
    lines.push(`  Resources: ${summaryLine(diff)}`);
    return lines;
}

/** The monthly estimate: per component, each line with its arithmetic and assumption. */
export function formatCost(cost: CostEstimate): string[] {
    const range = cost.totalMax !== cost.total ? `${formatUsd(cost.total)}–${formatUsd(cost.totalMax)}` : formatUsd(cost.total);
    const lines = [`Monthly cost — ${range}/month on-demand in ${cost.region}${cost.totalMax !== cost.total ? " (at replicas – at the autoscaling ceiling)" : ""}`];
    if (cost.fallback) {
        lines.push(`  !! ${cost.fallback}`);
    }
    for (const component of cost.byComponent) {
        const span = component.monthlyMax !== component.monthly ? `${formatUsd(component.monthly)}–${formatUsd(component.monthlyMax)}` : formatUsd(component.monthly);
        lines.push(`  ${component.component}: ${span}`);
        for (const l of cost.lines.filter((x) => x.component === component.component)) {
            const amount = l.monthlyMax !== undefined ? `${formatUsd(l.monthly)}–${formatUsd(l.monthlyMax)}` : formatUsd(l.monthly);
            const unconfirmed = l.warning?.startsWith("price not confirmed") === true;
            lines.push(`    ${amount.padStart(9)}  ${l.item}${unconfirmed ? "*" : ""}: ${l.formula}`);
            if (l.assumption) {
                lines.push(`               assumes ${l.assumption}`);
            }
            if (l.warning && !unconfirmed) {
                lines.push(`               ! ${l.warning}`);
            }
        }
    }
    if (cost.lines.some((l) => l.warning?.startsWith("price not confirmed") === true)) {
        lines.push("  * price not confirmed at its source while lib/prices.ts was written: check it on the AWS page named there");
    }
    lines.push("  Not included: data transfer out, request-based charges beyond the stated assumptions, taxes, Savings Plans.");
    return lines;
}

/** What a change costs: `+$61.32/month`, in total and per component that changes. */
export function formatCostChange(before: CostEstimate, after: CostEstimate): string[] {
    const lines = [`Cost change — ${formatDelta(after.total - before.total)} (${formatUsd(before.total)} → ${formatUsd(after.total)})`];
    if (after.totalMax !== after.total || before.totalMax !== before.total) {
        lines[0] += `; at the autoscaling ceiling ${formatDelta(after.totalMax - before.totalMax)} (${formatUsd(before.totalMax)} → ${formatUsd(after.totalMax)})`;
    }
    const components = [...new Set([...before.byComponent, ...after.byComponent].map((c) => c.component))];
    for (const component of components) {
        const was = before.byComponent.find((c) => c.component === component)?.monthly ?? 0;
        const now = after.byComponent.find((c) => c.component === component)?.monthly ?? 0;
        if (Math.abs(now - was) >= 0.005) {
            lines.push(`  ${component}: ${formatDelta(now - was)}`);
        }
    }
    if (after.fallback) {
        lines.push(`  !! ${after.fallback}`);
    }
    return lines;
}

/** One line in place of the inventory when --resources is not given. */
export function resourcesSummary(plan: Plan): string {
    const total = plan.components.reduce((n, c) => n + c.resources.length, 0);
    return `Resources — ${total} in ${plan.components.length} components (add --resources to list them with their settings)`;
}
