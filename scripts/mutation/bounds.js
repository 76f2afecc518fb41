#!/usr/bin/env node
// The numeric-bounds pass of `npm run test:mutation`: StrykerJS does not move numbers, so
// for every numeric literal in the pure modules this substitutes n − 1 and n + 1, one at
// a time, and runs only the unit-test files that (transitively) import that module,
// transpile-only, stopping at the first failure. Killed: the tests failed (or ran past
// RUN_TIMEOUT_MS). Survived: they passed. Writes reports/mutation/bounds.json in Stryker's
// report schema, so one summary reads both.
//
// It works in a scratch copy of the repo (node_modules linked, not copied): the working
// tree is never modified.
//
//   node scripts/mutation/bounds.js [--mutate lib/capacity.ts[,app/lib/cors.ts…]]
"use strict";
const { fork } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const ts = require("typescript");

const root = path.resolve(__dirname, "..", "..");
// A mutant that loops forever is cut off after this long (WEBFLEET_BOUNDS_TIMEOUT_MS; the tests themselves take ~1 s).
const RUN_TIMEOUT_MS = Number(process.env.WEBFLEET_BOUNDS_TIMEOUT_MS ?? 60_000);
const PROPERTY_RUNS = process.env.WEBFLEET_PROPERTY_RUNS ?? "200";

/** The same modules Stryker mutates (scripts/mutation/stryker.*.json). */
function targets() {
    const rootCfg = JSON.parse(fs.readFileSync(path.join(__dirname, "stryker.root.json"), "utf8"));
    const appCfg = JSON.parse(fs.readFileSync(path.join(__dirname, "stryker.app.json"), "utf8"));
    const rootFiles = fs
        .readdirSync(path.join(root, "lib"), { recursive: true })
        .filter((f) => f.endsWith(".ts"))
        .map((f) => `lib/${f}`);
    if (rootCfg.mutate.join() !== "lib/**/*.ts") {
        throw new Error("bounds.js expects stryker.root.json to mutate lib/**/*.ts; update both together");
    }
    return [...rootFiles.map((f) => ({ file: f, app: false })), ...appCfg.mutate.map((f) => ({ file: `app/${f}`, app: true }))];
}

/**
 * The app's server-free test files: stryker.app.json's `mocha12.spec` (relative to app/;
 * a `*` in the file name matches any run of characters).
 */
function appTests() {
    const appCfg = JSON.parse(fs.readFileSync(path.join(__dirname, "stryker.app.json"), "utf8"));
    const files = fs.readdirSync(path.join(root, "app", "test")).map((f) => `test/${f}`);
    const asRe = (glob) => new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
    return [...new Set(appCfg.mocha12.spec.flatMap((glob) => files.filter((f) => asRe(glob).test(f))))];
}

/** Relative imports of a TypeScript file, resolved to repo paths. */
function localImports(file) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const out = [];
    for (const m of text.matchAll(/(?:from|import|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        const base = path.join(path.dirname(file), m[1]);
        for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) {
            if (fs.existsSync(path.join(root, candidate))) {
                out.push(candidate.split(path.sep).join("/"));
            }
        }
    }
    return out;
}

/** Root unit-test files whose import graph reaches `file`; those importing it directly first (--bail stops sooner). */
function testsFor(file) {
    const tests = fs.readdirSync(path.join(root, "test", "unit")).filter((f) => f.endsWith(".test.ts")).map((f) => `test/unit/${f}`);
    const direct = (t) => (localImports(t).includes(file) ? 0 : 1);
    return tests.sort((a, b) => direct(a) - direct(b)).filter((t) => {
        const seen = new Set();
        const stack = [t];
        while (stack.length > 0) {
            const f = stack.pop();
            if (f === file) return true;
            if (seen.has(f)) continue;
            seen.add(f);
            stack.push(...localImports(f));
        }
        return false;
    });
}

/** Every numeric literal that is a value (not a literal type), with its position. */
function numericLiterals(file, text) {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const found = [];
    const visit = (node) => {
        if (ts.isNumericLiteral(node) && !ts.isLiteralTypeNode(node.parent)) {
            const start = node.getStart(sf);
            const value = Number(node.text);
            const pos = sf.getLineAndCharacterOfPosition(start);
            const endPos = sf.getLineAndCharacterOfPosition(node.end);
            found.push({ start, end: node.end, value, original: text.slice(start, node.end), line: pos.line + 1, column: pos.character + 1, endLine: endPos.line + 1, endColumn: endPos.character + 1 });
        }
        ts.forEachChild(node, visit);
    };
    visit(sf);
    return found;
}

function scratchCopy() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webfleet-bounds-"));
    const skip = new Set(["node_modules", ".git", ".next", "reports", ".stryker-tmp"]);
    fs.cpSync(root, dir, { recursive: true, filter: (src) => !skip.has(path.basename(src)) });
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.symlinkSync(path.join(root, "app", "node_modules"), path.join(dir, "app", "node_modules"), "dir");
    return dir;
}

/** A bounds-worker.js process for one kind of target (root or app); restarted after a timeout. */
class Worker {
    constructor(scratch, app) {
        this.scratch = scratch;
        this.app = app;
        this.child = undefined;
    }

    start() {
        const cwd = this.app ? path.join(this.scratch, "app") : this.scratch;
        const env = {
            ...process.env,
            WEBFLEET_PROPERTY_RUNS: PROPERTY_RUNS,
            BOUNDS_SCRATCH: fs.realpathSync(this.scratch),
            BOUNDS_REQUIRE: JSON.stringify(this.app ? JSON.parse(fs.readFileSync(path.join(__dirname, "stryker.app.json"), "utf8")).mocha12.require : ["ts-node/register/transpile-only"]),
        };
        this.child = fork(path.join(__dirname, "bounds-worker.js"), [], { cwd, env, stdio: ["ignore", "ignore", "ignore", "ipc"] });
        return new Promise((resolve) => this.child.once("message", resolve));
    }

    /** "Killed" when a test fails, "Survived" when all pass, "Timeout" past RUN_TIMEOUT_MS. */
    async run(tests) {
        if (!this.child) {
            await this.start();
        }
        const child = this.child;
        return new Promise((resolve) => {
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                this.child = undefined;
                resolve("Timeout");
            }, RUN_TIMEOUT_MS);
            child.once("message", ({ failures }) => {
                clearTimeout(timer);
                resolve(failures === 0 ? "Survived" : "Killed");
            });
            child.send({ tests });
        });
    }

    stop() {
        this.child?.kill();
        this.child = undefined;
    }
}

async function main() {
    const i = process.argv.indexOf("--mutate");
    // One file or a comma-separated list.
    const only = i >= 0 ? process.argv[i + 1].split(",") : undefined;
    const scratch = scratchCopy();
    for (const signal of ["SIGINT", "SIGTERM"]) {
        process.on(signal, () => {
            fs.rmSync(scratch, { recursive: true, force: true });
            process.exit(130);
        });
    }
    const report = { schemaVersion: "1", thresholds: { high: 90, low: 75 }, files: {} };
    const workers = { root: new Worker(scratch, false), app: new Worker(scratch, true) };
    try {
        const unknown = (only ?? []).filter((f) => !targets().some((t) => t.file === f));
        if (unknown.length > 0) {
            throw new Error(`--mutate: not a mutation target: ${unknown.join(", ")} (targets: lib/**/*.ts and stryker.app.json's mutate list under app/)`);
        }
        for (const target of targets().filter((t) => !only || only.includes(t.file))) {
            const tests = target.app ? appTests().map((t) => `app/${t}`) : testsFor(target.file);
            const text = fs.readFileSync(path.join(root, target.file), "utf8");
            const mutants = [];
            const worker = target.app ? workers.app : workers.root;
            const runTests = (list) => worker.run(target.app ? appTests() : list);
            if (tests.length > 0 && (await runTests(tests)) !== "Survived") {
                throw new Error(`the unit tests for ${target.file} fail before any mutation; fix them first`);
            }
            for (const lit of numericLiterals(target.file, text)) {
                for (const delta of [-1, 1]) {
                    const replacement = String(lit.value + delta);
                    let status = "NoCoverage";
                    if (tests.length > 0) {
                        fs.writeFileSync(path.join(scratch, target.file), text.slice(0, lit.start) + replacement + text.slice(lit.end));
                        status = await runTests(tests);
                    }
                    mutants.push({
                        id: `${target.file}:${lit.line}:${lit.column}:${delta > 0 ? "+" : "-"}1`,
                        mutatorName: "NumericBound",
                        replacement,
                        location: { start: { line: lit.line, column: lit.column }, end: { line: lit.endLine, column: lit.endColumn } },
                        status,
                        description: `${lit.original} → ${replacement}`,
                    });
                }
            }
            fs.writeFileSync(path.join(scratch, target.file), text);
            report.files[target.file] = { language: "typescript", source: text, mutants };
            const killed = mutants.filter((m) => m.status === "Killed" || m.status === "Timeout").length;
            console.log(`${target.file}: ${killed}/${mutants.length} killed (${tests.length ? tests.join(", ") : "no unit test imports it"})`);
        }
    } finally {
        workers.root.stop();
        workers.app.stop();
        fs.rmSync(scratch, { recursive: true, force: true });
    }
    const out = path.join(root, "reports", "mutation", "bounds.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // With --mutate, keep the other files' results from the last full run.
    if (only && fs.existsSync(out)) {
        const previous = JSON.parse(fs.readFileSync(out, "utf8"));
        report.files = { ...previous.files, ...report.files };
    }
    fs.writeFileSync(out, JSON.stringify(report, null, 2));
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
