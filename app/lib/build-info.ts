/**
 * What the build stamped into the standalone directory (scripts/build.js writes
 * build-info.json next to server.js): the version /api/health reports when APP_VERSION
 * is unset, and the Next deployment id.
 */
import fs from "node:fs";
import path from "node:path";

export interface BuildInfo {
    readonly version: string;
    readonly deploymentId: string;
}

export const BUILD_INFO_FILE = "build-info.json";

export function readBuildInfo(dir: string): BuildInfo {
    try {
        const value: unknown = JSON.parse(fs.readFileSync(path.join(dir, BUILD_INFO_FILE), "utf8"));
        if (typeof value === "object" && value !== null && "version" in value && "deploymentId" in value) {
            return { version: String(value.version), deploymentId: String(value.deploymentId) };
        }
    } catch {
        // Not built by scripts/build.js (e.g. a unit test): report that honestly.
    }
    return { version: "unknown", deploymentId: "unknown" };
}
