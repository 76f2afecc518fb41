import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { readProjectFile } from "../../tools/mock-runner/stack-config";

const ROOT = path.resolve(__dirname, "..", "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

describe("README stays true to the project", () => {
    it("starts with the setup and test commands that CI runs", () => {
        const firstBlock = /```bash\n([\s\S]*?)```/.exec(README)?.[1] ?? "";
        assert.match(firstBlock, /^npm run setup\b/m);
        assert.match(firstBlock, /^npm test\b/m);
        const ci = fs.readFileSync(path.resolve(__dirname, "..", "..", ".ci", "run"), "utf8");
        assert.match(ci, /^npm run setup$/m);
        assert.match(ci, /^npm test$/m);
    });

    it("documents every config key with its Pulumi.yaml default", () => {
        for (const [key, decl] of Object.entries(readProjectFile().config)) {
            const row = README.split("\n").find((line) => line.startsWith(`| \`${key}\` |`));
            assert.ok(row, `README config table lacks ${key}`);
            const shown = decl.default === "" ? '`""`' : `\`${String(decl.default)}\``;
            assert.ok(row.includes(`| ${shown} |`), `README shows a stale default for ${key}: ${row}`);
        }
    });

    it("the Layout section names every folder of the tree, and only paths that exist", () => {
        const block = /## Layout\n\n```\n([\s\S]*?)```/.exec(README)?.[1];
        assert.ok(block, "README has no Layout section with a code block");
        // The first column of each entry: one or more paths, comma-separated.
        const named = block
            .split("\n")
            .filter((line) => /^\S/.test(line))
            .flatMap((line) => line.split(/\s{2,}/)[0].split(/,\s*/));
        for (const entry of named) {
            assert.ok(fs.existsSync(path.join(ROOT, entry)), `README's layout names ${entry}, which is not in the tree`);
        }
        // Every folder that holds the project's code, two levels down where the layout goes there.
        const NOT_PROJECT = new Set(["node_modules", ".git", "bin", "reports", ".tmp", ".stryker-tmp"]);
        const folders = (dir: string): string[] =>
            fs
                .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
                .filter((e) => e.isDirectory() && !NOT_PROJECT.has(e.name))
                .map((e) => `${dir === "" ? "" : `${dir}/`}${e.name}/`);
        const expected = [...folders(""), ...folders("tools"), ...folders("test")].filter((f) => !["tools/", "test/"].includes(f));
        const covered = (folder: string): boolean => named.some((entry) => entry === folder || entry.startsWith(folder));
        assert.deepStrictEqual(expected.filter((f) => !covered(f)), [], "folders missing from README's layout");
    });
});

