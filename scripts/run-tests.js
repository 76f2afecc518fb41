#!/usr/bin/env node
// `npm test`: every check, in order, each as its own npm script so any one can be run
// alone. Streams each stage's output, keeps going after a failure so one run shows
// everything that is broken, and ends with a summary and one closing line
// "N passed, M failed" (tests counted from mocha's own totals).
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");

const STAGES = [
  ["typecheck", "tsc --noEmit against the real @pulumi/aws types"],
  ["test:unit", "pure modules and config validation"],
  ["test:program", "the whole program under mocks, one process per stack"],
  ["test:policy", "policy pack, each policy called with fake resources"],
  ["test:workflows", "GitHub workflow files validated"],
  ["test:plan", "offline plan formatting and diff"],
  // test:app builds the app; test:loadtest then also runs against two real instances of it.
  ["test:app", "the app against real PostgreSQL and Redis"],
  ["test:loadtest", "load-test CLI against loopback servers and two app instances"],
  ["test:fleet-local", "npm run fleet:local with 3 replicas: spread, pools, a killed instance, clean stop"],
  ["test:image", "the container image (needs a Docker engine)"],
];

function runStage(script) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn("npm", ["run", "--silent", script], { cwd: root, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    const keep = (chunk, out) => {
      out.write(chunk);
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

(async () => {
  const only = process.argv.slice(2);
  const stages = only.length ? STAGES.filter(([s]) => only.includes(s)) : STAGES;
  const results = [];
  for (const [script, what] of stages) {
    console.log(`\n=== ${script}: ${what}`);
    results.push(await runStage(script));
  }
  console.log("\n=== summary");
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
