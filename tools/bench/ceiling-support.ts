/**
 * What the round-trip ceilings (proxy-ceiling, cache-ceiling) share: required variables
 * and the staged build's own config reader, so each ceiling runs with the gateway's
 * settings read from the same environment. Staged beside them as plain JavaScript.
 */
import path from "node:path";
import type * as EnvModule from "../../app/lib/env";

export function required(who: string, name: string): string {
    const value = process.env[name];
    if (value === undefined || value === "") {
        process.stderr.write(`${who}: ${name} must be set\n`);
        process.exit(2);
    }
    return value;
}

/** The staged build's compiled lib/<name>.js, so a client is byte for byte the gateway's. */
export function buildModule<T>(imageDir: string, name: string): T {
    return require(path.join(imageDir, "lib", `${name}.js`));
}

/** The gateway's config from this process's environment, read by the staged build's env.js; exits 2 on problems. */
export function buildConfig(imageDir: string): EnvModule.AppConfig {
    const env = buildModule<typeof EnvModule>(imageDir, "env");
    const config = env.readConfig(process.env);
    if (!config.ok) {
        process.stderr.write(`${env.formatProblems(config.problems)}\n`);
        process.exit(2);
    }
    return config.config;
}
