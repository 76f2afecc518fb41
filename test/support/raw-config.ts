/**
 * A valid raw config to change one key at a time: the prod stack as the Pulumi CLI would
 * pass it (so keys added later keep their defaults), with the budget keys written out, so
 * a test's arithmetic does not move when the stack file does.
 */
import { CapacityPlan, planCapacity } from "../../lib/capacity";
import { ConfigProblem } from "../../lib/problems";
import { parseSettings, RawConfig, rawConfigFrom, Settings } from "../../lib/settings";
import { loadStackConfig } from "../../tools/mock-runner/stack-config";

export const PINNED: Readonly<Record<string, string>> = {
    "aws:region": "us-east-1",
    replicas: "4",
    maxReplicas: "8",
    deploymentMaximumPercent: "200",
    dbInstanceClass: "db.t4g.medium",
    dbMaxConnections: "0",
    dbReservedConnections: "10",
    dbPoolMaxPerTask: "50",
    dbPoolMinPerTask: "5",
    vpcId: "",
    publicSubnetIds: "",
    privateSubnetIds: "",
    certificateArn: "",
};

let prod: RawConfig | undefined;

export function validRaw(overrides: Record<string, string | undefined> = {}): RawConfig {
    prod ??= rawConfigFrom(loadStackConfig("prod"));
    return { ...prod, ...PINNED, ...overrides };
}

export const withDockerfile = { dockerfileExists: (p: string) => p === "app" };

/** What config.ts does: the settings, then the budget computed from them (checked after). */
export type FleetResult =
    | { readonly ok: true; readonly settings: Settings; readonly capacity: CapacityPlan }
    | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

export function parseWith(overrides: Record<string, string | undefined>): FleetResult {
    const parsed = parseSettings(validRaw(overrides), withDockerfile);
    if (!parsed.ok) {
        return parsed;
    }
    const planned = planCapacity(parsed.settings);
    return planned.ok ? { ok: true, settings: parsed.settings, capacity: planned.plan } : { ok: false, problems: planned.problems };
}

/** The problems for a config, [] when it is valid. */
export function problemsWith(overrides: Record<string, string | undefined>): readonly ConfigProblem[] {
    const r = parseWith(overrides);
    return r.ok ? [] : r.problems;
}
