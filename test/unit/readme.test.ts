import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { readProjectFile } from "../../tools/mock-runner/stack-config";

const README = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");

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
});
