import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { imageInputs, parseDockerignore, sourceHash } from "../../lib/app-version";
import { PROJECT_ROOT } from "../../tools/mock-runner/stack-config";

function tempApp(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webfleet-app-version-"));
    for (const [rel, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), content);
    }
    return dir;
}

describe("app version hash (lib/app-version)", () => {
    const files = {
        Dockerfile: "FROM node:20\nCOPY . .\n",
        ".dockerignore": "# not in the image\nnode_modules\ntest\nREADME.md\n*.log\ndocs/**/*.md\n!docs/keep.md\nDockerfile\n.dockerignore\n",
        "package.json": "{}",
        "lib/a.ts": "export const a = 1;\n",
        "test/a.test.ts": "it('a', () => {});\n",
        "README.md": "# app\n",
        "debug.log": "noise",
        "docs/guide/x.md": "x",
        "docs/keep.md": "kept",
        "node_modules/x/index.js": "x",
    };
    let dir: string;
    beforeEach(() => (dir = tempApp(files)));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("hashes what the image is built from: the Dockerfile and what .dockerignore lets through", () => {
        assert.deepStrictEqual(imageInputs(dir), [".dockerignore", "Dockerfile", "docs/keep.md", "lib/a.ts", "package.json"]);
    });

    it("a test-only or README edit keeps the version (the fleet does not roll)", () => {
        const before = sourceHash(dir);
        fs.writeFileSync(path.join(dir, "test/a.test.ts"), "it('b', () => {});\n");
        fs.writeFileSync(path.join(dir, "README.md"), "# changed\n");
        fs.writeFileSync(path.join(dir, "test/new.test.ts"), "new");
        assert.strictEqual(sourceHash(dir), before);
    });

    it("a source, Dockerfile or re-included file edit changes it", () => {
        const before = sourceHash(dir);
        for (const [rel, content] of [["lib/a.ts", "export const a = 2;\n"], ["Dockerfile", "FROM node:22\n"], ["docs/keep.md", "changed"]]) {
            fs.writeFileSync(path.join(dir, rel), content);
            const after = sourceHash(dir);
            assert.notStrictEqual(after, before, `${rel} must count`);
        }
    });

    it("reads .dockerignore like Docker: directories, globs, `**`, `!`, leading `/`", () => {
        const ignored = parseDockerignore("/build\n*.tmp\n**/cache\n!keep.tmp\nsub/?.txt\n");
        assert.deepStrictEqual(
            ["build/x.js", "a.tmp", "keep.tmp", "x/y/cache/z", "cache/z", "sub/a.txt", "sub/ab.txt", "src/a.tmp", "lib/build.ts"].map(ignored),
            [true, true, false, true, true, true, false, false, false],
        );
    });

    it("the real app: its tests and README are outside the version", () => {
        const inputs = imageInputs(path.join(PROJECT_ROOT, "app"));
        assert.ok(inputs.includes("Dockerfile") && inputs.includes("package.json") && inputs.includes("lib/db.ts"));
        assert.ok(!inputs.some((f) => f.startsWith("test/") || f === "README.md"), inputs.join("\n"));
    });
});

describe(".dockerignore rules and the image inputs at their edges (lib/app-version)", () => {
    const ignoredBy = (rules: string, paths: readonly string[]): boolean[] => paths.map(parseDockerignore(rules));

    it("skips comments and blank lines, reads CRLF files, trims each rule and the path after `!`", () => {
        assert.deepStrictEqual(ignoredBy("# build\r\n\r\n  *.tmp  \r\n!  keep.tmp\r\n", ["build", "# build", "a.tmp", "keep.tmp"]), [false, false, true, false]);
    });

    it("drops a leading `/` or `./` and a trailing `/`; a rule that names the root itself is skipped", () => {
        assert.deepStrictEqual(ignoredBy("./build/\n/dist/\n", ["build/x.js", "dist", "dist/a/b", "src/build/x.js"]), [true, true, true, false]);
        assert.deepStrictEqual(ignoredBy("/\n.\n./\n", ["a", "dir/b"]), [false, false]);
        assert.deepStrictEqual(ignoredBy("//x\n.//y\n", ["x", "y", "a/x"]), [true, true, false]);
    });

    it("matches other characters literally: a dot, a plus, brackets and parentheses are not pattern syntax", () => {
        const rules = "a+b.txt\n(x)|y\n{c}$\n[d]^\n";
        assert.deepStrictEqual(
            ignoredBy(rules, ["a+b.txt", "aab.txt", "a+bxtxt", "(x)|y", "x", "y", "{c}$", "c", "[d]^", "d"]),
            [true, false, false, true, false, false, true, false, true, false],
        );
    });

    it("`*` and `?` stay inside one path segment; `**` crosses them, `**/` also matches no directory", () => {
        assert.deepStrictEqual(ignoredBy("docs/*.md\n", ["docs/a.md", "docs/x/a.md", "docs/.md"]), [true, false, true]);
        assert.deepStrictEqual(ignoredBy("a?c\n", ["abc", "a/c", "ac"]), [true, false, false]);
        assert.deepStrictEqual(ignoredBy("docs/**\n", ["docs/a", "docs/x/y/z.md", "docsx/a"]), [true, true, false]);
        assert.deepStrictEqual(ignoredBy("**/cache\n", ["cache", "a/cache", "a/b/cache/c", "acache", "a/xcache"]), [true, true, true, false, false]);
        assert.deepStrictEqual(ignoredBy("a/**/b\n", ["a/b", "a/x/b", "a/x/y/b", "ab", "a/xb"]), [true, true, true, false, false]);
        // `**` followed by more than a slash: the rest still has to match.
        assert.deepStrictEqual(ignoredBy("**.md\n", ["a.md", "x/y/b.md", "xmd", "a.mdx"]), [true, true, false, false]);
    });

    it("the last rule that matches decides, so a later rule can ignore again what `!` brought back", () => {
        assert.deepStrictEqual(ignoredBy("*.tmp\n!keep.tmp\nkeep.*\n", ["keep.tmp", "other.tmp", "keep.md"]), [true, true, true]);
        assert.deepStrictEqual(ignoredBy("!keep.tmp\n", ["keep.tmp", "a"]), [false, false]);
    });

    it("never hashes node_modules, .next or .git; without a .dockerignore everything else counts", () => {
        const dir = tempApp({ Dockerfile: "FROM node:20\n", "a.js": "a", "node_modules/x.js": "x", ".next/cache/y": "y", ".git/HEAD": "ref", "sub/node_modules/z.js": "z", "sub/b.js": "b" });
        try {
            assert.deepStrictEqual(imageInputs(dir), ["Dockerfile", "a.js", "sub/b.js"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("lists the inputs sorted, whatever order the file system returns them in", () => {
        const names = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, "0")}.js`);
        const dir = tempApp(Object.fromEntries([...names, "a/z.js", "a.js"].map((n) => [n, n])));
        try {
            assert.deepStrictEqual(imageInputs(dir), ["a.js", "a/z.js", ...names]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("the version is 12 hex digits of a hash that keeps each file's name apart from its content and from the next file", () => {
        const apps: Array<Record<string, string>> = [
            { Dockerfile: "FROM x\n", ab: "c" },
            { Dockerfile: "FROM x\n", a: "bc" },
            { Dockerfile: "D", x: "1" },
            { Dockerfile: "Dx\u00001" },
        ];
        const dirs = apps.map(tempApp);
        const again = tempApp(apps[0]);
        try {
            const hashes = dirs.map(sourceHash);
            assert.match(hashes[0], /^[0-9a-f]{12}$/);
            assert.strictEqual(new Set(hashes).size, apps.length, hashes.join(" "));
            assert.strictEqual(sourceHash(again), hashes[0]);
        } finally {
            for (const d of [...dirs, again]) fs.rmSync(d, { recursive: true, force: true });
        }
    });
});
