#!/usr/bin/env node
// `npm test`: every check, each as its own npm script so any one can be run alone. Keeps
// going after a failure so one run shows everything that is broken, and ends with a
// summary and one closing line "N passed, M failed" (tests counted from mocha's own totals).
//
// Two stages run at a time (WEBFLEET_TEST_JOBS, default: 2, or 1 on a 1-CPU machine):
// test:app, the longest and the one whose build the load-test and local-fleet stages use,
// starts first; every other stage starts in list order when a slot is free. Output stays
// in list order and never interleaves: the first unfinished stage streams live, the others
// are buffered and printed whole when their turn comes.
"use strict";
const { spawn } = require("child_process");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");

const STAGES = [
  ["typecheck", "tsc --noEmit against the real @pulumi/aws types"],
  ["test:unit", "pure modules and config validation"],
  ["test:program", "the whole program under mocks, one process per stack"],
  ["test:policy", "policy pack, each policy called with fake resources"],
  ["test:workflows", "GitHub workflow files validated"],
  ["test:plan", "offline plan formatting and diff"],
  // test:app builds the app; test:loadtest and test:fleet-local then run instances of that build.
  ["test:app", "the app against real PostgreSQL and Redis", { first: true }],
  ["test:loadtest", "load-test CLI against loopback servers and two app instances", { after: "test:app" }],
  ["test:fleet-local", "npm run fleet:local with 3 replicas: spread, pools, a killed instance, clean stop", { after: "test:app" }],
  ["test:image", "the container image (needs a Docker engine)"],
];

function jobsFromEnv() {
  const raw = process.env.WEBFLEET_TEST_JOBS;
  if (raw === undefined || raw === "") {
    const cpus = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
    return Math.min(2, Math.max(1, cpus));
  }
  if (!/^[1-9][0-9]*$/.test(raw)) {
    console.error(`WEBFLEET_TEST_JOBS must be a whole number ≥ 1 (stages run at a time), got '${raw}'`);
    process.exit(2);
  }
  return Number(raw);
}

/** Starts one stage; `sink` gets its output (header first) as [stream, chunk] pairs. */
function runStage(script, what, sink) {
  return new Promise((resolve) => {
    const started = Date.now();
    sink(process.stdout, `\n=== ${script}: ${what}\n`);
    const child = spawn("npm", ["run", "--silent", script], { cwd: root, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    const keep = (chunk, out) => {
      sink(out, chunk);
      text += chunk.toString();
      if (text.length > 2_000_000) text = text.slice(-1_000_000);
    };
    child.stdout.on("data", (c) => keep(c, process.stdout));
    child.stderr.on("data", (c) => keep(c, process.stderr));
    child.on("close", (code) => {
      // eslint-disable-next-line no-control-regex
      const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
      const sum = (re) => [...plain.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
      resolve({
        script,
        code: code === null ? 1 : code,
        seconds: (Date.now() - started) / 1000,
        // mocha's totals, plus "<name>: N passed, M failed" from non-mocha stages (the image test).
        passed: sum(/^\s*(\d+) passing/gm) + sum(/^[\w-]+: (\d+) passed, \d+ failed$/gm),
        failed: sum(/^\s*(\d+) failing/gm) + sum(/^[\w-]+: \d+ passed, (\d+) failed$/gm),
        skipped: /^SKIP\b/m.test(plain),
      });
    });
  });
}

/** Runs `stages` `jobs` at a time; resolves with their results in list order. */
function runAll(stages, jobs) {
  const selected = new Set(stages.map(([s]) => s));
  const state = stages.map(() => ({ started: false, done: false, buffered: [], result: undefined }));
  let head = 0; // the first stage not yet printed to the end: it streams live, the rest buffer
  let running = 0;
  return new Promise((resolve) => {
    const flushHead = () => {
      while (head < stages.length && state[head].started) {
        for (const [out, chunk] of state[head].buffered) out.write(chunk);
        state[head].buffered = [];
        if (!state[head].done) return;
        head++;
      }
    };
    const startOrder = () => [...stages.keys()].sort((a, b) => Number(Boolean(stages[b][2]?.first)) - Number(Boolean(stages[a][2]?.first)));
    const ready = (i) => {
      const after = stages[i][2]?.after;
      return !after || !selected.has(after) || state[stages.findIndex(([s]) => s === after)].done;
    };
    const fill = () => {
      for (const i of startOrder()) {
        if (running >= jobs) break;
        if (state[i].started || !ready(i)) continue;
        state[i].started = true;
        running++;
        const [script, what] = stages[i];
        runStage(script, what, (out, chunk) => (i === head ? out.write(chunk) : state[i].buffered.push([out, chunk]))).then((result) => {
          state[i].done = true;
          state[i].result = result;
          running--;
          flushHead();
          if (state.every((s) => s.done)) resolve(state.map((s) => s.result));
          else fill();
        });
      }
      flushHead();
    };
    fill();
  });
}

(async () => {
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !STAGES.some(([s]) => s === name));
  if (unknown.length > 0) {
    console.error(`unknown stage${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ")}; stages: ${STAGES.map(([s]) => s).join(", ")}`);
    process.exit(2);
  }
  const stages = only.length ? STAGES.filter(([s]) => only.includes(s)) : STAGES;
  const jobs = jobsFromEnv();
  const started = Date.now();
  const results = await runAll(stages, jobs);
  console.log(`\n=== summary (${((Date.now() - started) / 1000).toFixed(1)}s wall, ${jobs} stage${jobs === 1 ? "" : "s"} at a time)`);
  for (const r of results) {
    const status = r.code !== 0 ? "FAILED" : r.skipped ? "skipped" : "ok";
    const counts = r.passed || r.failed ? ` (${r.passed} passed, ${r.failed} failed)` : "";
    console.log(`${status.padEnd(7)} ${r.script.padEnd(15)} ${r.seconds.toFixed(1).padStart(6)}s${counts}`);
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  // A stage that failed without a mocha total (tsc, a crash) still counts as one failure.
  const failed = results.reduce((n, r) => n + (r.failed || (r.code !== 0 ? 1 : 0)), 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(results.every((r) => r.code === 0) ? 0 : 1);
})();
