/**
 * The change in words, for the offline plan (and any other reader of the `capacityPlan`
 * output): the pool this `up` sets, the target, how many more `up`s, the peak while it
 * rolls out against the live limit, and what waits for a reboot. Pure: takes the output as
 * it comes back from a stack (unknown) and returns lines, so a new plan tool can call it as is.
 */

export interface TransitionView {
    readonly firstDeploy: boolean;
    readonly poolPerTask: number;
    readonly targetPoolPerTask: number;
    readonly remainingUps: number;
    readonly peakDuringChange: number;
    readonly liveMaxConnections: number;
    readonly dbMaxConnections: number;
    readonly waitsForReboot: boolean;
    readonly notes: readonly string[];
}

function fieldsOf(value: unknown): Map<string, unknown> {
    return new Map(typeof value === "object" && value !== null && !Array.isArray(value) ? Object.entries(value) : []);
}

/** The transition part of a `capacityPlan` output; undefined for outputs written before it existed. */
export function readTransition(capacityPlan: unknown): TransitionView | undefined {
    const plan = fieldsOf(capacityPlan);
    const t = fieldsOf(plan.get("transition"));
    const num = (m: Map<string, unknown>, key: string): number | undefined => {
        const v = m.get(key);
        return typeof v === "number" && Number.isFinite(v) ? v : undefined;
    };
    const pool = num(plan, "poolPerTask");
    const target = num(t, "targetPoolPerTask");
    const remaining = num(t, "remainingUps");
    const peak = num(t, "peakDuringChange");
    const live = num(plan, "dbMaxConnectionsLive");
    const limit = num(plan, "dbMaxConnections");
    if (pool === undefined || target === undefined || remaining === undefined || peak === undefined || live === undefined || limit === undefined) {
        return undefined;
    }
    const notes = t.get("notes");
    return {
        firstDeploy: t.get("firstDeploy") === true,
        poolPerTask: pool,
        targetPoolPerTask: target,
        remainingUps: remaining,
        peakDuringChange: peak,
        liveMaxConnections: live,
        dbMaxConnections: limit,
        waitsForReboot: t.get("waitsForReboot") === true,
        notes: Array.isArray(notes) ? notes.filter((n): n is string => typeof n === "string") : [],
    };
}

/** Lines for a reviewer; the first is a title, the rest indented by two spaces. */
export function formatTransition(view: TransitionView, against: string | undefined): string[] {
    const title = view.firstDeploy
        ? "Change — first deploy (nothing deployed): the plan above is set at once"
        : `Change — from the deployed plan${against === undefined ? "" : ` (${against})`}`;
    const more = view.remainingUps === 0 ? "reached" : `${view.remainingUps} more \`up\`${view.remainingUps === 1 ? "" : "s"}`;
    const fits = view.peakDuringChange <= view.liveMaxConnections ? "≤" : ">";
    const rows = [
        `pool this up sets   ${view.poolPerTask}   target ${view.targetPoolPerTask} (${more}${view.waitsForReboot && view.poolPerTask < view.targetPoolPerTask ? ", after the reboot" : ""})`,
        `peak during change  ${view.peakDuringChange} ${fits} live max_connections ${view.liveMaxConnections}`,
    ];
    if (view.waitsForReboot) {
        rows.push(`pending reboot      max_connections ${view.dbMaxConnections} is in the parameter group; live stays ${view.liveMaxConnections} until a confirmed reboot`);
    }
    return [title, ...rows.map((r) => `  ${r}`), ...view.notes.map((n) => `  note: ${n}`)];
}
