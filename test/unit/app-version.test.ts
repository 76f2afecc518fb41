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
