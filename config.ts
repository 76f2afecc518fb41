/**
 * The only reader of `pulumi.Config`. Reads every key once, validates them all together
 * (lib/settings.ts, with the keys declared in lib/config-keys.ts), then computes the
 * connection budget from the settings (lib/capacity.ts). Either returns frozen, typed
 * Settings and the capacity plan, or throws one ConfigError that lists every bad key, the
 * value given and what is allowed — before any resource exists, so `pulumi preview` fails
 * with the whole list.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CapacityPlan, planCapacity } from "./lib/capacity";
import { ConfigError } from "./lib/problems";
import { parseSettings, rawConfigFrom, Settings, undeclaredKeyProblems } from "./lib/settings";

/** Where Pulumi.yaml lives: the CLI runs the program there, and so do our tests. */
export const PROJECT_DIR = __dirname;


export interface FleetConfig {
    readonly settings: Settings;
    /** The connection budget for these settings: pool per task, peak tasks and connections. */
    readonly capacity: CapacityPlan;
}

export function loadConfig(): FleetConfig {
    // All the config the program was given: the keys it reads, and every other key of its
    // namespace, so a mistyped key in a stack file is an error, not ignored.
    const given = pulumi.runtime.allConfig();
    const parsed = parseSettings(rawConfigFrom(given), {
        dockerfileExists: (appPath) => fs.existsSync(path.join(PROJECT_DIR, appPath, "Dockerfile")),
    });
    const undeclared = undeclaredKeyProblems(given);
    if (!parsed.ok || undeclared.length > 0) {
        throw new ConfigError([...undeclared, ...(parsed.ok ? [] : parsed.problems)], pulumi.getStack());
    }
    // Checked after the settings: the budget's advice only makes sense once every input is valid.
    const capacity = planCapacity(parsed.settings);
    if (!capacity.ok) {
        throw new ConfigError(capacity.problems, pulumi.getStack());
    }
    return { settings: parsed.settings, capacity: capacity.plan };
}
