/**
 * A version for the app derived from what its image is built from: a short hash of the
 * Dockerfile and of every file of the build context that `.dockerignore` lets through
 * (tests, READMEs and local noise are not in the image, so editing them must not roll the
 * fleet). It becomes the image tag and Next's `deploymentId`, so clients notice a new
 * version during a rolling deploy, and an unchanged app gives an unchanged tag (no
 * needless new task definition).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Never part of the image's identity: installed or built inside the image, or VCS data. */
const SKIPPED = new Set(["node_modules", ".next", ".git"]);
/** Docker reads these itself even when .dockerignore lists them; the Dockerfile shapes the image. */
const ALWAYS = new Set(["Dockerfile", ".dockerignore"]);

interface IgnoreRule {
    readonly negated: boolean;
    readonly pattern: RegExp;
}

/** A .dockerignore pattern (Go filepath.Match plus `**`) as an anchored regular expression. */
function toRegExp(glob: string): RegExp {
    let out = "";
    for (let i = 0; i < glob.length; i += 1) {
        const c = glob[i];
        if (c === "*" && glob[i + 1] === "*") {
            // `**/` matches any number of directories, including none; `**` alone anything.
            if (glob[i + 2] === "/") {
                out += "(?:.*/)?";
                i += 2;
            } else {
                out += ".*";
                i += 1;
            }
        } else if (c === "*") {
            out += "[^/]*";
        } else if (c === "?") {
            out += "[^/]";
        } else {
            out += c.replace(/[\\^$.+()|{}[\]]/g, "\\$&");
        }
    }
    return new RegExp(`^${out}$`);
}

/**
 * The rules of a .dockerignore file: comments and blank lines skipped, leading `/` and
 * `./` dropped, `!` re-includes. As in Docker, the last rule that matches a path (or one
 * of its parent directories) decides.
 */
export function parseDockerignore(content: string): (relPath: string) => boolean {
    const rules: IgnoreRule[] = [];
    for (const line of content.split(/\r?\n/)) {
        let text = line.trim();
        if (text === "" || text.startsWith("#")) {
            continue;
        }
        const negated = text.startsWith("!");
        if (negated) {
            text = text.slice(1).trim();
        }
        text = path.posix.normalize(text.replace(/^(\.\/|\/)+/, "")).replace(/\/$/, "");
        if (text === "" || text === ".") {
            continue;
        }
        rules.push({ negated, pattern: toRegExp(text) });
    }
    return (relPath: string): boolean => {
        const parts = relPath.split("/");
        const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
        let ignored = false;
        for (const rule of rules) {
            if (prefixes.some((p) => rule.pattern.test(p))) {
                ignored = !rule.negated;
            }
        }
        return ignored;
    };
}

/** Files of `dir` the image is built from, relative, sorted. */
export function imageInputs(dir: string): string[] {
    const ignoreFile = path.join(dir, ".dockerignore");
    const ignored = fs.existsSync(ignoreFile) ? parseDockerignore(fs.readFileSync(ignoreFile, "utf8")) : (): boolean => false;
    const files: string[] = [];
    const walk = (rel: string): void => {
        for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
            const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
            if (SKIPPED.has(entry.name)) {
                continue;
            }
            if (entry.isDirectory()) {
                // Not pruned when ignored: a later `!` rule may bring a file inside back.
                walk(child);
            } else if (entry.isFile() && (ALWAYS.has(child) || !ignored(child))) {
                files.push(child);
            }
        }
    };
    walk("");
    return files.sort();
}

export function sourceHash(dir: string): string {
    const hash = createHash("sha256");
    for (const file of imageInputs(dir)) {
        hash.update(file).update("\0").update(fs.readFileSync(path.join(dir, file))).update("\0");
    }
    return hash.digest("hex").slice(0, 12);
}
