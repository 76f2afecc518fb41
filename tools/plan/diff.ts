/**
 * A generic diff of two program runs, as `pulumi preview` would show it: every input of
 * every resource compared (nested paths; JSON-string inputs such as containerDefinitions
 * and IAM policies compared as structures), the program's own resource options honoured
 * (ignoreChanges, replaceOnChanges, protect, deleteBeforeReplace), each change marked
 * create / update / replace / delete, replacement decided by the provider's force-new
 * inputs (force-new.ts), and a replaced resource's new id/ARN flowing into what refers to
 * it ("known after replace"), which may replace that too.
 *
 * Pure: plain recorded values in, plain data out.
 */
import { resourcePrefix } from "../../lib/names";
import { RecordedOptions } from "../mock-runner/mocks";
import { conditionalReplacement, replacementReason } from "./force-new";
import { isRecord } from "../../lib/is-record";

/** A resource as recorded by tools/mock-runner (inputs, computed outputs, options). */
export interface DiffableResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly computed?: Readonly<Record<string, unknown>>;
    readonly options?: RecordedOptions;
}

export interface DiffSide {
    readonly stack: string;
    readonly resources: readonly DiffableResource[];
}

export type Operation = "create" | "update" | "replace" | "delete";

export interface PropertyChange {
    /** `desiredCount`, `containerDefinitions[web].environment[DB_POOL_MAX].value`, … */
    readonly path: string;
    readonly before?: string;
    readonly after?: string;
    /** Why this change replaces the resource (force-new input, replaceOnChanges), if it does. */
    readonly replaces?: string;
    /** A replacement that depends on state the plan cannot see. */
    readonly mayReplace?: string;
    /** Set when the value is another resource's id/ARN and that resource is replaced. */
    readonly knownAfterReplaceOf?: string;
}

export interface ResourceChange {
    readonly op: Operation;
    readonly type: string;
    /** Stack-neutral name (`webfleet-{stack}-web-svc`), so two stacks line up. */
    readonly key: string;
    readonly name: string;
    readonly properties: readonly PropertyChange[];
    /** Changes the program tells Pulumi to ignore (ignoreChanges): real, but not applied. */
    readonly ignored: readonly PropertyChange[];
    readonly protect: boolean;
    readonly deleteBeforeReplace: boolean;
    /** The options of the side that decides (after, or before for a delete). */
    readonly options: RecordedOptions;
}

export interface StackDiff {
    readonly changes: readonly ResourceChange[];
    /** Resources present on both sides whose inputs differ only where ignoreChanges says so, or not at all. */
    readonly unchanged: number;
    readonly counts: Readonly<Record<Operation, number>>;
}

/** How @pulumi/pulumi marks a secret in serialized inputs (runtime/rpc specialSigKey / specialSecretSig). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";


function isSecret(v: unknown): v is Record<string, unknown> {
    return isRecord(v) && v[SECRET_SIG_KEY] === SECRET_SIG;
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Replaces the stack's resource prefix in every string, so dev and prod values compare. */
export function neutralizer(stack: string): (s: string) => string {
    const re = new RegExp(`${escapeRegExp(resourcePrefix("webfleet", stack))}(?![a-z0-9])`, "g");
    return (s) => s.replace(re, "webfleet-{stack}");
}

/** A leaf: its canonical text (for comparison) and how to show it. */
interface Leaf {
    readonly canonical: string;
    readonly shown: string;
}

function parseJsonText(s: string): unknown {
    if (!/^\s*[[{]/.test(s)) {
        return undefined;
    }
    try {
        const parsed: unknown = JSON.parse(s);
        return typeof parsed === "object" && parsed !== null ? parsed : undefined;
    } catch {
        return undefined;
    }
}

function segment(key: string): string {
    return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Array elements keyed by their `name` when every element has a distinct one (env vars, containers, parameters). */
function arrayKeys(items: readonly unknown[]): string[] {
    const names = items.map((i) => (isRecord(i) && typeof i["name"] === "string" ? i["name"] : undefined));
    const distinct = names.every((n): n is string => n !== undefined) && new Set(names).size === names.length;
    return items.map((_, i) => (distinct ? `[${names[i]}]` : `[${i}]`));
}

/** Every leaf of a value by path; JSON text that holds an object or array is expanded as a structure. */
export function flatten(value: unknown, neutral: (s: string) => string, path = "", out = new Map<string, Leaf>()): Map<string, Leaf> {
    if (isSecret(value)) {
        out.set(path, { canonical: `secret:${JSON.stringify(value["value"])}`, shown: "[secret]" });
        return out;
    }
    if (typeof value === "string") {
        const parsed = parseJsonText(value);
        if (parsed !== undefined) {
            return flatten(parsed, neutral, path, out);
        }
        const text = neutral(value);
        out.set(path, { canonical: JSON.stringify(text), shown: JSON.stringify(text) });
        return out;
    }
    if (Array.isArray(value)) {
        if (value.length === 0) {
            out.set(path, { canonical: "[]", shown: "[]" });
        }
        const keys = arrayKeys(value);
        value.forEach((item, i) => flatten(item, neutral, `${path}${keys[i]}`, out));
        return out;
    }
    if (isRecord(value)) {
        const entries = Object.entries(value).filter(([, v]) => v !== undefined);
        if (entries.length === 0) {
            out.set(path, { canonical: "{}", shown: "{}" });
        }
        for (const [k, v] of entries.sort(([a], [b]) => a.localeCompare(b))) {
            flatten(v, neutral, path === "" ? k : `${path}${segment(k)}`, out);
        }
        return out;
    }
    if (value === undefined) {
        return out;
    }
    const text = JSON.stringify(value) ?? String(value);
    out.set(path, { canonical: text, shown: text });
    return out;
}

/** The top-level input a path belongs to: `networkConfiguration.subnets[0]` → `networkConfiguration`. */
export function topLevel(path: string): string {
    return path.split(/[.[]/)[0];
}

/** Pulumi property-path matching for ignoreChanges / replaceOnChanges (`*`, prefixes, `[*]`). */
export function pathMatches(path: string, pattern: string): boolean {
    if (pattern === "*") {
        return true;
    }
    const re = new RegExp(`^${escapeRegExp(pattern).replace(/\\\[\\\*\\\]/g, "\\[[^\\]]*\\]")}(?=$|[.[])`);
    return re.test(path);
}

function compareInputs(before: DiffableResource, after: DiffableResource, neutralBefore: (s: string) => string, neutralAfter: (s: string) => string): PropertyChange[] {
    const a = flatten(before.inputs, neutralBefore);
    const b = flatten(after.inputs, neutralAfter);
    const changes: PropertyChange[] = [];
    for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
        const was = a.get(path);
        const now = b.get(path);
        if (was?.canonical !== now?.canonical) {
            changes.push({ path, ...(was ? { before: was.shown } : {}), ...(now ? { after: now.shown } : {}) });
        }
    }
    return changes;
}

function classify(type: string, changes: readonly PropertyChange[], options: RecordedOptions): PropertyChange[] {
    return changes.map((c) => {
        const input = topLevel(c.path);
        const forced = replacementReason(type, input);
        const requested = (options.replaceOnChanges ?? []).find((p) => pathMatches(c.path, p));
        const replaces = forced ?? (requested !== undefined ? `replaceOnChanges: ["${requested}"] (the program's resource option)` : undefined);
        const maybe = replaces === undefined ? conditionalReplacement(type, input) : undefined;
        return { ...c, ...(replaces ? { replaces } : {}), ...(maybe ? { mayReplace: maybe } : {}) };
    });
}

function resourceKey(r: DiffableResource, neutral: (s: string) => string): string {
    return `${r.type} ${neutral(r.name)}`;
}

/** Strings that stand for a resource elsewhere: its id, ARN and computed names (at least 8 characters). */
function referenceTokens(r: DiffableResource, neutral: (s: string) => string): string[] {
    return Object.values(r.computed ?? {})
        .filter((v): v is string => typeof v === "string" && v.length >= 8)
        .map(neutral);
}

function containsToken(text: string, token: string): boolean {
    let at = text.indexOf(token);
    while (at >= 0) {
        const next = text.charAt(at + token.length);
        if (!/[A-Za-z0-9-]/.test(next)) {
            return true;
        }
        at = text.indexOf(token, at + 1);
    }
    return false;
}

/** Diffs two runs: `before` is what is deployed (or the --against side), `after` what this config would deploy. */
export function diffRuns(before: DiffSide, after: DiffSide): StackDiff {
    const nb = neutralizer(before.stack);
    const na = neutralizer(after.stack);
    const old = new Map(before.resources.map((r) => [resourceKey(r, nb), r]));
    const now = new Map(after.resources.map((r) => [resourceKey(r, na), r]));

    interface Working {
        key: string;
        before?: DiffableResource;
        after?: DiffableResource;
        properties: PropertyChange[];
        ignored: PropertyChange[];
    }
    const work: Working[] = [];
    for (const [key, r] of now) {
        const was = old.get(key);
        if (was === undefined) {
            work.push({ key, after: r, properties: [], ignored: [] });
            continue;
        }
        const options = r.options ?? {};
        const all = classify(r.type, compareInputs(was, r, nb, na), options);
        const isIgnored = (c: PropertyChange): boolean => (options.ignoreChanges ?? []).some((p) => pathMatches(c.path, p));
        work.push({ key, before: was, after: r, properties: all.filter((c) => !isIgnored(c)), ignored: all.filter(isIgnored) });
    }
    for (const [key, r] of old) {
        if (!now.has(key)) {
            work.push({ key, before: r, properties: [], ignored: [] });
        }
    }

    const replaced = (w: Working): boolean => w.before !== undefined && w.after !== undefined && w.properties.some((p) => p.replaces !== undefined);
    // A replaced resource gets a new id and ARN: whatever holds them sees a change too,
    // which may replace it in turn. Repeat until nothing new is replaced.
    const propagated = new Set<string>();
    for (;;) {
        const fresh = work.filter((w) => replaced(w) && !propagated.has(w.key));
        if (fresh.length === 0) {
            break;
        }
        for (const source of fresh) {
            propagated.add(source.key);
            const tokens = source.before ? referenceTokens(source.before, nb) : [];
            for (const w of work) {
                if (w === source || w.before === undefined || w.after === undefined) {
                    continue;
                }
                const leaves = flatten(w.after.inputs, na);
                const known = new Set(w.properties.map((p) => p.path));
                const extra: PropertyChange[] = [];
                for (const [path, leaf] of leaves) {
                    if (!known.has(path) && tokens.some((t) => containsToken(leaf.canonical, t))) {
                        extra.push({ path, before: leaf.shown, after: "(known after replace)", knownAfterReplaceOf: source.key });
                    }
                }
                const options = w.after.options ?? {};
                const kept = extra.filter((c) => !(options.ignoreChanges ?? []).some((p) => pathMatches(c.path, p)));
                w.properties.push(...classify(w.after.type, kept, options));
            }
        }
    }

    const changes: ResourceChange[] = [];
    let unchanged = 0;
    for (const w of work) {
        const r = w.after ?? w.before;
        if (r === undefined) {
            continue;
        }
        const op: Operation | undefined =
            w.before === undefined ? "create" : w.after === undefined ? "delete" : replaced(w) ? "replace" : w.properties.length > 0 ? "update" : undefined;
        if (op === undefined) {
            unchanged++;
            if (w.ignored.length === 0) {
                continue;
            }
        }
        const options = (op === "delete" ? w.before?.options : w.after?.options) ?? {};
        // op undefined: only ignored differences. Listed so a reviewer sees them, not counted (isRealChange).
        changes.push({
            op: op ?? "update",
            type: r.type,
            key: w.key.slice(r.type.length + 1),
            name: r.name,
            properties: w.properties,
            ignored: w.ignored,
            protect: options.protect === true,
            deleteBeforeReplace: options.deleteBeforeReplace === true,
            options,
        });
    }
    const real = changes.filter((c) => c.properties.length > 0 || c.op === "create" || c.op === "delete");
    const counts: Record<Operation, number> = { create: 0, update: 0, replace: 0, delete: 0 };
    for (const c of real) {
        counts[c.op]++;
    }
    const order: Record<Operation, number> = { replace: 0, update: 1, create: 2, delete: 3 };
    const sorted = [...changes].sort((a, b) => order[a.op] - order[b.op] || a.type.localeCompare(b.type) || a.key.localeCompare(b.key));
    return { changes: sorted, unchanged, counts };
}

/** `+ 2 to create, ~ 3 to update, +- 1 to replace, - 1 to delete, 62 unchanged`, zero counts left out, as the CLI does. */
export function summaryLine(diff: StackDiff): string {
    const parts = [
        diff.counts.create > 0 ? `+ ${diff.counts.create} to create` : "",
        diff.counts.update > 0 ? `~ ${diff.counts.update} to update` : "",
        diff.counts.replace > 0 ? `+- ${diff.counts.replace} to replace` : "",
        diff.counts.delete > 0 ? `- ${diff.counts.delete} to delete` : "",
        `${diff.unchanged} unchanged`,
    ];
    return parts.filter((p) => p !== "").join(", ");
}

/** True when a change is shown as a change (not only ignored differences). */
export function isRealChange(c: ResourceChange): boolean {
    return c.properties.length > 0 || c.op === "create" || c.op === "delete";
}
