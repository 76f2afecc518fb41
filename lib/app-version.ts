/**
 * A version for the app derived from its source: a short hash of every file in the build
 * context except dependencies and build output. It becomes the image tag and Next's
 * `deploymentId`, so clients notice a new version during a rolling deploy, and an
 * unchanged app gives an unchanged tag (no needless new task definition).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Never part of the image's identity: installed or built inside the image, or local noise. */
const SKIPPED = new Set(["node_modules", ".next", ".git", ".turbo", "coverage"]);

export function sourceHash(dir: string): string {
    const hash = createHash("sha256");
    const walk = (rel: string): void => {
        const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
        for (const entry of entries) {
            if (SKIPPED.has(entry.name)) {
                continue;
            }
            const child = path.posix.join(rel, entry.name);
            if (entry.isDirectory()) {
                walk(child);
            } else if (entry.isFile()) {
                hash.update(child).update("\0").update(fs.readFileSync(path.join(dir, child))).update("\0");
            }
        }
    };
    walk("");
    return hash.digest("hex").slice(0, 12);
}
