#!/usr/bin/env node
// Runs the program-under-mocks tests, ONE PROCESS PER RUN: the program module is cached per
// process and Pulumi's mock runtime is global, so two stacks in one process would mix.
// Every Pulumi.<stack>.yaml gets a run; the variants cover what a user edits most.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

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
  // ARM64 build platform; autoscaling off.
  { stack: "dev", overrides: { cpuArchitecture: "ARM64", maxReplicas: "0" }, spec: good },
  // An existing VPC: nothing network-wide is created; everything lands in the given subnets.
  { stack: "prod", overrides: { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: "subnet-0aaaaaaaaaaaaaaa1,subnet-0aaaaaaaaaaaaaaa2", privateSubnetIds: "subnet-0bbbbbbbbbbbbbbb1, subnet-0bbbbbbbbbbbbbbb2" }, spec: good },
  // The seed's plan: 500 connections per instance cannot fit.
  { stack: "prod", overrides: { dbPoolMinPerTask: "500", dbPoolMaxPerTask: "500" }, spec: bad, expect: ["webfleet:dbMaxConnections", "webfleet:dbPoolMinPerTask"] },
  { stack: "prod", overrides: { replicas: "0", memory: "3000" }, spec: bad, expect: ["webfleet:replicas", "webfleet:memory"] },
];

let failed = 0;
for (const run of runs) {
  const env = {
    ...process.env,
    WEBFLEET_STACK: run.stack,
    WEBFLEET_OVERRIDES: JSON.stringify(run.overrides || {}),
    WEBFLEET_EXPECT_KEYS: (run.expect || []).join(","),
  };
  const result = spawnSync(process.execPath, [require.resolve("mocha/bin/mocha.js"), run.spec], { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) failed++;
}
console.log(`\nprogram tests: ${runs.length - failed} of ${runs.length} runs passed`);
process.exit(failed === 0 ? 0 : 1);
