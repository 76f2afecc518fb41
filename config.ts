/**
 * The only reader of `pulumi.Config`. Reads every key once, validates them all together
 * (lib/settings.ts), and either returns frozen, typed Settings or throws one ConfigError
 * that lists every bad key, the value given and what is allowed — before any resource
 * exists, so `pulumi preview` fails with the whole list.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./lib/problems";
import { parseSettings, PROJECT_KEYS, RawConfig, Settings, undeclaredKeyProblems } from "./lib/settings";

/** Where Pulumi.yaml lives: the CLI runs the program there, and so do our tests. */
export const PROJECT_DIR = __dirname;

export function readRawConfig(): RawConfig {
    const project = new pulumi.Config();
    const raw: Record<string, string | undefined> = {};
    for (const key of PROJECT_KEYS) {
        raw[key] = project.get(key);
    }
    raw["aws:region"] = new pulumi.Config("aws").get("region");
    return raw;
}

export function loadSettings(): Settings {
    const result = parseSettings(readRawConfig(), {
        dockerfileExists: (appPath) => fs.existsSync(path.join(PROJECT_DIR, appPath, "Dockerfile")),
    });
    // Every key the program was given, so a mistyped key in a stack file is an error, not ignored.
    const undeclared = undeclaredKeyProblems(pulumi.runtime.allConfig());
    if (!result.ok || undeclared.length > 0) {
        throw new ConfigError([...undeclared, ...(result.ok ? [] : result.problems)], pulumi.getStack());
    }
    return result.settings;
}
