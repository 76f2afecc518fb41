/**
 * Reading an ECS task definition's `containerDefinitions`, which the AWS provider takes
 * as a JSON string (the program builds it with `pulumi.jsonStringify`).
 */
import { isRecord } from "./is-record";
import { Props, str } from "./props";

export interface ContainerEnv {
    /** The container's `name`, or `#<index>` when it has none. */
    readonly container: string;
    /** Plain `environment` entries, in order. */
    readonly environment: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

export type ParsedContainers =
    | { readonly ok: true; readonly containers: readonly ContainerEnv[] }
    | { readonly ok: false; readonly error: string };

export function parseContainers(taskDefinition: Props): ParsedContainers {
    const raw = str(taskDefinition, "containerDefinitions");
    if (raw === undefined) {
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
    const containers = parsed.filter(isRecord).map((c, i): ContainerEnv => {
        const env = Array.isArray(c["environment"]) ? c["environment"].filter(isRecord) : [];
        return {
            container: str(c, "name") ?? `#${i}`,
            environment: env.map((e) => ({ name: str(e, "name") ?? "", value: envValue(e["value"]) })),
        };
    });
    return { ok: true, containers };
}

/** ECS wants strings, but a hand-written definition may carry a number or boolean. */
function envValue(value: unknown): string {
    return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

/** The value of `name` in any container's environment (the first one that sets it). */
export function envLookup(containers: readonly ContainerEnv[], name: string): string | undefined {
    for (const c of containers) {
        const hit = c.environment.find((e) => e.name === name);
        if (hit) {
            return hit.value;
        }
    }
    return undefined;
}
