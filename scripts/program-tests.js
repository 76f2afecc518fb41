#!/usr/bin/env node
// Runs the program-under-mocks tests, ONE PROCESS PER RUN: the program module is cached per
// process and Pulumi's mock runtime is global, so two stacks in one process would mix.
// Every Pulumi.<stack>.yaml gets a run; the variants cover what a user edits most.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
// The one child-process launcher (tools/mock-runner/launch.ts), loaded through the cached TS hook.
require("../tools/mock-runner/ts-hook.js");
const { launch } = require("../tools/mock-runner/launch.ts");

const root = path.resolve(__dirname, "..");
const stacks = fs.readdirSync(root).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)).filter(Boolean).map((m) => m[1]).sort();
const good = "test/program/program.test.ts";
const bad = "test/program/bad-config.test.ts";

const runs = [
  ...stacks.map((stack) => ({ stack, spec: good })),
  // Scaling: the edit users make. Desired count and autoscaling floor follow it. Alarm e-mails subscribe.
  { stack: "prod", overrides: { replicas: "6", alarmEmail: "ops@example.com, on-call@example.com" }, spec: good },
  // HTTPS: listener on 443, HTTP redirects, SG opens 443.
  { stack: "prod", overrides: { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" }, spec: good },
  // A region launched after August 2022 (log delivery by service principal); the zone given by id, no lookup.
  { stack: "prod", overrides: { "aws:region": "ap-southeast-4", hostedZoneName: "", hostedZoneId: "Z0123456789ABCDEFGHIJ" }, spec: good },
  // The explicit opt-out: a prod-like stack on plain HTTP (TLS ends in front of it).
  { stack: "prod", overrides: { domainName: "", hostedZoneName: "", allowPlainHttp: "true" }, spec: good },
  // Access logs in dev, when turned on.
  { stack: "dev", overrides: { accessLogs: "true" }, spec: good },
  // ARM64 build platform; autoscaling off.
  { stack: "dev", overrides: { cpuArchitecture: "ARM64", maxReplicas: "0" }, spec: good },
  // An existing VPC: nothing network-wide is created; everything lands in the given subnets.
  { stack: "prod", overrides: { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: "subnet-0aaaaaaaaaaaaaaa1,subnet-0aaaaaaaaaaaaaaa2", privateSubnetIds: "subnet-0bbbbbbbbbbbbbbb1, subnet-0bbbbbbbbbbbbbbb2" }, spec: good },
  // After an up of today's program (its capacityPlan lacks the transition fields): lowering the
  // ceiling keeps pool 25 for this up (8 old × 25 + 8 new × 33 + 10 would be 474 > 410).
  { stack: "prod", overrides: { maxReplicas: "6" }, previous: { capacityPlan: { replicas: 4, maxReplicas: 8, peakTasks: 16, dbMaxConnections: 410, dbReservedConnections: 10, poolPerTask: 25, peakConnections: 410 } }, spec: good },
  // RDS cannot downgrade PostgreSQL: refused against the deployed engine version.
  { stack: "prod", overrides: { dbEngineVersion: "15" }, previous: { capacityPlan: { replicas: 4, maxReplicas: 8, peakTasks: 16, dbMaxConnections: 410, dbReservedConnections: 10, poolPerTask: 25, peakConnections: 410, dbEngineVersion: "16" } }, spec: bad, expect: ["webfleet:dbEngineVersion"] },
  // Up after up through the changes users make; it runs its own child per up.
  { stack: "prod", spec: "test/program/transitions.test.ts" },
  // The seed's plan: 500 connections per instance cannot fit.
  { stack: "prod", overrides: { dbPoolMinPerTask: "500", dbPoolMaxPerTask: "500" }, spec: bad, expect: ["webfleet:dbMaxConnections", "webfleet:dbPoolMinPerTask"] },
  { stack: "prod", overrides: { replicas: "0", memory: "3000" }, spec: bad, expect: ["webfleet:replicas", "webfleet:memory"] },
  // Prod without TLS: the old behaviour (plain HTTP on the internet) is refused, naming the keys that fix it.
  { stack: "prod", overrides: { domainName: "", hostedZoneName: "" }, spec: bad, expect: ["webfleet:domainName"], text: ["hostedZoneName", "certificateArn", "allowPlainHttp", "prod-like"] },
  // A typo that reaches the program past the CLI (Automation API, older CLI): the program refuses it too.
  { stack: "prod", unchecked: { "webfleet:replica": "6" }, spec: bad, expect: ["webfleet:replica"] },
];

// Two runs at a time (WEBFLEET_PROGRAM_JOBS; default 2, or 1 on a 1-CPU machine): each is its
// own process, so they cannot mix. Each run's output is printed whole, in the order above.
const cpus = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
const rawJobs = process.env.WEBFLEET_PROGRAM_JOBS;
if (rawJobs !== undefined && rawJobs !== "" && !/^[1-9][0-9]*$/.test(rawJobs)) {
  console.error(`WEBFLEET_PROGRAM_JOBS must be a whole number ≥ 1 (program-test processes at a time), got '${rawJobs}'`);
  process.exit(2);
}
const jobs = rawJobs ? Number(rawJobs) : Math.min(2, Math.max(1, cpus));

function start(run) {
  const env = {
    ...process.env,
    WEBFLEET_STACK: run.stack,
    WEBFLEET_OVERRIDES: JSON.stringify(run.overrides || {}),
    WEBFLEET_UNCHECKED: JSON.stringify(run.unchecked || {}),
    WEBFLEET_EXPECT_KEYS: (run.expect || []).join(","),
    WEBFLEET_EXPECT_TEXT: (run.text || []).join(","),
    WEBFLEET_PREVIOUS_OUTPUTS: run.previous ? JSON.stringify(run.previous) : "",
  };
  return launch({ script: require.resolve("mocha/bin/mocha.js"), args: [run.spec], env }).done;
}

(async () => {
  const finished = new Array(runs.length);
  let printed = 0;
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < runs.length) {
      const i = next++;
      finished[i] = await start(runs[i]);
      // Print every run whose turn has come, whole: stdout (mocha's report), then stderr.
      while (printed < runs.length && finished[printed] !== undefined) {
        const r = finished[printed++];
        process.stdout.write(r.stdout);
        process.stderr.write(r.stderr);
        if (r.status !== 0) failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, runs.length) }, worker));
  console.log(`\nprogram tests: ${runs.length - failed} of ${runs.length} runs passed`);
  process.exit(failed === 0 ? 0 : 1);
})();
