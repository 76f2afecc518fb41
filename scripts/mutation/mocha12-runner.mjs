// A small StrykerJS TestRunner plugin ("mocha12") for mocha 12.
//
// Why: @stryker-mutator/mocha-runner 10.0.0 loads mocha's CLI helpers as
// `mocha/lib/cli/run-helpers` and `lib/cli/options.mjs`; mocha 12.0.3 ships them as
// `.cjs`, so the plugin fails to load ("Cannot find module …/run-helpers"). Rather than
// patch node_modules, this adapter uses only mocha's public programmatic API (new Mocha,
// addFile, loadFiles, run, grep) and Stryker's public plugin API, the same way the
// official runner does: perTest coverage via a root beforeEach that names the current
// test, and mutant activation through Stryker's global instrumenter context.
//
// Options (`mocha12` in the Stryker config):
//   spec:    test files, relative to the project directory (globs allowed)
//   require: modules loaded first, e.g. "ts-node/register/transpile-only" or "./test/register.js"
// TypeScript is compiled by ts-node's require hook (files are loaded with require, not import).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { INSTRUMENTER_CONSTANTS } from "@stryker-mutator/api/core";
import { commonTokens, declareClassPlugin, PluginKind, tokens } from "@stryker-mutator/api/plugin";
import { determineHitLimitReached, DryRunStatus, TestStatus, toMutantRunResult } from "@stryker-mutator/api/test-runner";

function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Collects one run's results in Stryker's shape; mocha builds a new one per run. */
function collectingReporter(sink) {
    return function StrykerCollector(runner) {
        let started = Date.now();
        const elapsed = () => {
            const ms = Date.now() - started;
            started = Date.now();
            return ms;
        };
        runner.on("start", () => {
            sink.tests = [];
            started = Date.now();
        });
        runner.on("pass", (test) => {
            const id = test.fullTitle();
            sink.tests.push({ id, name: id, status: TestStatus.Success, timeSpentMs: elapsed(), fileName: test.file });
        });
        runner.on("fail", (test, err) => {
            const id = test.ctx?.currentTest?.fullTitle() ?? test.fullTitle();
            const failureMessage = (err && (err.message || err.stack)) || "<empty failure message>";
            sink.tests.push({ id, name: id, status: TestStatus.Failed, failureMessage, timeSpentMs: elapsed() });
        });
    };
}

class Mocha12TestRunner {
    static inject = tokens(commonTokens.logger, commonTokens.options);

    constructor(log, options) {
        this.log = log;
        this.options = options.mocha12 ?? {};
        const ns = INSTRUMENTER_CONSTANTS.NAMESPACE;
        this.context = globalThis[ns] ?? (globalThis[ns] = {});
        this.sink = { tests: [] };
        this.loaded = false;
    }

    capabilities() {
        // Files are loaded once per process (require cache), like the official runner.
        return { reloadEnvironment: false };
    }

    async init() {
        const cwd = process.cwd();
        const require = createRequire(path.join(cwd, "package.json"));
        for (const mod of this.options.require ?? []) {
            const local = path.resolve(cwd, mod);
            require(fs.existsSync(local) ? local : mod);
        }
        const { default: Mocha } = await import(require.resolve("mocha"));
        const files = (this.options.spec ?? []).flatMap((spec) => fs.globSync(spec, { cwd })).map((f) => path.resolve(cwd, f));
        if (files.length === 0) {
            throw new Error(`mocha12 runner: no test files match ${JSON.stringify(this.options.spec)} in ${cwd}`);
        }
        this.mocha = new Mocha({ reporter: collectingReporter(this.sink), timeout: 0, ui: "bdd" });
        this.mocha.cleanReferencesAfterRun(false);
        for (const f of files) {
            this.mocha.addFile(f);
        }
        const self = this;
        this.mocha.suite.beforeEach(function () {
            self.beforeEach?.(this);
        });
    }

    async dryRun({ coverageAnalysis, disableBail }) {
        if (coverageAnalysis === "perTest") {
            this.beforeEach = (ctx) => {
                this.context.currentTestId = ctx.currentTest?.fullTitle();
            };
        }
        const result = await this.run(disableBail);
        if (result.status === DryRunStatus.Complete && coverageAnalysis !== "off") {
            result.mutantCoverage = this.context.mutantCoverage;
        }
        delete this.beforeEach;
        return result;
    }

    async mutantRun({ activeMutant, testFilter, disableBail, hitLimit, mutantActivation }) {
        this.context.hitLimit = hitLimit;
        this.context.hitCount = hitLimit ? 0 : undefined;
        this.mocha.grep(testFilter ? new RegExp(testFilter.map((id) => `(^${escapeRegExp(id)}$)`).join("|")) : /.*/);
        return toMutantRunResult(await this.run(disableBail, activeMutant.id, mutantActivation));
    }

    async run(disableBail, activeMutantId, mutantActivation) {
        const setBail = (suite) => {
            suite.bail(!disableBail);
            suite.suites.forEach(setBail);
        };
        setBail(this.mocha.suite);
        try {
            if (!this.loaded) {
                // "static" mutants live in module-level code: active while the files load.
                this.context.activeMutant = mutantActivation === "static" ? activeMutantId : undefined;
                this.mocha.loadFiles();
                this.loaded = true;
            }
            this.context.activeMutant = activeMutantId;
            await new Promise((resolve) => this.mocha.run(() => resolve()));
            const timeout = determineHitLimitReached(this.context.hitCount, this.context.hitLimit);
            return timeout ?? { status: DryRunStatus.Complete, tests: this.sink.tests };
        } catch (e) {
            return { status: DryRunStatus.Error, errorMessage: e instanceof Error ? e.stack ?? e.message : String(e) };
        }
    }

    async dispose() {
        try {
            this.mocha?.dispose();
        } catch (e) {
            if (e?.code !== "ERR_MOCHA_INSTANCE_ALREADY_RUNNING") {
                throw e;
            }
        }
    }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, "mocha12", Mocha12TestRunner)];

export const strykerValidationSchema = {
    $schema: "http://json-schema.org/draft-07/schema",
    type: "object",
    properties: {
        mocha12: {
            type: "object",
            properties: {
                spec: { type: "array", items: { type: "string" } },
                require: { type: "array", items: { type: "string" } },
            },
            additionalProperties: false,
        },
    },
};
