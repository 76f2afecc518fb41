/**
 * Reading an ECS task definition's `containerDefinitions`, which the AWS provider takes
 * as a JSON string (the program builds it with `pulumi.jsonStringify`). The one parser of
 * it: the policies, the offline plan (tools/plan) and the program tests all read
 * containers through this module.
 *
 * It lives in the policy pack because the pack must stay self-contained: `pulumi policy
 * publish` uploads what `npm pack` packs in policy/ and nothing outside it, so the pack
 * cannot import the program's lib/. The program's tools may import the pack's modules,
 * so this one has no import beyond ./is-record (no @pulumi/policy), and stays that way.
 */
import { isRecord } from "./is-record";

export interface EnvironmentEntry {
    readonly name: string;
    readonly value: string;
}

export interface SecretEntry {
    readonly name: string;
    readonly valueFrom: string;
}

/** The fields of one container definition that webfleet reads; the rest are ignored. */
export interface ContainerDefinition {
    /** The container's `name`, or `#<index>` when it has none. */
    readonly name: string;
    readonly image: string | undefined;
    /** Plain `environment` entries, in order. */
    readonly environment: readonly EnvironmentEntry[];
    /** `secrets` entries (ECS resolves `valueFrom` when the task starts), in order. */
    readonly secrets: readonly SecretEntry[];
    /** Seconds between SIGTERM and SIGKILL; undefined when not set (ECS's default, 30). */
    readonly stopTimeout: number | undefined;
}

export type ParsedContainers =
    | { readonly ok: true; readonly containers: readonly ContainerDefinition[] }
    | { readonly ok: false; readonly error: string };

/**
 * Parses the `containerDefinitions` input of a task definition (the raw value: anything
 * but a string holding a JSON array is an error). Entries that are not objects are
 * skipped; an environment value that is not a string (a hand-written definition may
 * carry a number or boolean) is converted, a missing one is "".
 */
export function parseContainerDefinitions(raw: unknown): ParsedContainers {
    if (typeof raw !== "string") {
        return { ok: false, error: "containerDefinitions is missing or not a JSON string" };
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch (e) {
        return { ok: false, error: `containerDefinitions is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
    }
    if (!Array.isArray(parsed)) {
        return { ok: false, error: "containerDefinitions must be a JSON array of container definitions" };
    }
    const containers = parsed.filter(isRecord).map(
        (c, i): ContainerDefinition => ({
            name: text(c["name"]) ?? `#${i}`,
            image: text(c["image"]),
            environment: entries(c["environment"]).map((e) => ({ name: text(e["name"]) ?? "", value: envValue(e["value"]) })),
            secrets: entries(c["secrets"]).map((s) => ({ name: text(s["name"]) ?? "", valueFrom: text(s["valueFrom"]) ?? "" })),
            stopTimeout: typeof c["stopTimeout"] === "number" ? c["stopTimeout"] : undefined,
        }),
    );
    return { ok: true, containers };
}

function text(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

function entries(value: unknown): ReadonlyArray<Readonly<Record<string, unknown>>> {
    return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** ECS wants strings, but a hand-written definition may carry a number or boolean. */
function envValue(value: unknown): string {
    return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

/** Every plain environment variable of the containers, name → value (the first container, and the first entry, that sets it wins). */
export function environmentOf(containers: readonly ContainerDefinition[]): ReadonlyMap<string, string> {
    const env = new Map<string, string>();
    for (const e of containers.flatMap((c) => c.environment)) {
        if (!env.has(e.name)) {
            env.set(e.name, e.value);
        }
    }
    return env;
}
