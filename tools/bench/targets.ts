/**
 * The servers compared, each started from a staged copy so the benchmark never writes
 * into app/ while other people build and test there:
 *
 * (a)  dev      `next dev` of the same sources — the seed's way (it ran under PM2).
 * (b)  prod     the production build as the image runs it: `node server.js` in a copy of
 *               .next/standalone with .next/static and public beside it (app/Dockerfile).
 * (b0) prod-quiet the same build with logging and metrics off (LOG_LEVEL=silent,
 *               METRICS_FLUSH_S=0): what the access log and the EMF metrics cost (b runs
 *               them as deployed, flushing metrics every second instead of every minute).
 * (bR) prod-redis the same build with the response memo off (RESPONSE_MEMO_MS=0): every
 *               cache hit is a Redis round trip, as before the memo; compare with (e).
 * (b′) prod-next the same build with API_ROUTER=next: /api/* through Next's route
 *               handlers instead of the lean router, to show what the lean server buys.
 * (b*) prod-base another checkout's production build (`--baseline <its app/ folder>`), run
 *               exactly as (b): an A/B of two builds in the same rounds, e.g. before and
 *               after a change to the hot path.
 * (c)  ceiling  bare node:http answering the same JSON (tools/bench/ceiling-server.ts).
 * (d)  proxy-ceiling bare node:http making the gateway's upstream call with the gateway's
 *               own client and settings (tools/bench/proxy-ceiling-server.ts): the miss
 *               path's ceiling, upstream round trip included. Measured on the miss path only.
 * (e)  cache-ceiling bare node:http making the gateway's one Redis GET with the gateway's
 *               own cache client and settings (tools/bench/cache-ceiling-server.ts): the hit
 *               path's ceiling, Redis round trip included. Measured on the hit path only.
 * (f)  proxy-cache-ceiling (d) with the Redis GET before the upstream call and the SET
 *               after it, through the gateway's own cache client: the miss path's whole
 *               I/O, as (e) is the hit path's. Measured on the miss path only.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { CeilingAnswers } from "./ceiling-support";
import { SERVER_CPU, startPinned, Started } from "./proc";

export type TargetId = "dev" | "prod" | "prod-quiet" | "prod-redis" | "prod-next" | "prod-base" | "ceiling" | "proxy-ceiling" | "cache-ceiling" | "proxy-cache-ceiling";
export const TARGET_IDS: readonly TargetId[] = ["dev", "prod", "prod-quiet", "prod-redis", "prod-next", "prod-base", "ceiling", "proxy-ceiling", "cache-ceiling", "proxy-cache-ceiling"];

export interface Target {
    readonly id: TargetId;
    readonly letter: string;
    readonly label: string;
}

export const TARGETS: Readonly<Record<TargetId, Target>> = {
    dev: { id: "dev", letter: "a", label: "next dev (seed)" },
    prod: { id: "prod", letter: "b", label: "production build, lean server (image)" },
    "prod-quiet": { id: "prod-quiet", letter: "b0", label: "production build, logging and metrics off" },
    "prod-redis": { id: "prod-redis", letter: "bR", label: "production build, response memo off (hits from Redis)" },
    "prod-next": { id: "prod-next", letter: "b'", label: "production build, API_ROUTER=next" },
    "prod-base": { id: "prod-base", letter: "b*", label: "baseline checkout's production build (--baseline)" },
    ceiling: { id: "ceiling", letter: "c", label: "bare node:http (ceiling)" },
    "proxy-ceiling": { id: "proxy-ceiling", letter: "d", label: "bare node:http + same upstream call (miss ceiling)" },
    "cache-ceiling": { id: "cache-ceiling", letter: "e", label: "bare node:http + same Redis GET (hit ceiling)" },
    "proxy-cache-ceiling": { id: "proxy-cache-ceiling", letter: "f", label: "bare node:http + Redis GET, same upstream call, Redis SET (miss I/O ceiling)" },
};

/** Paths a target is measured on: each round-trip ceiling only means something for its own path. */
export function measuresPath(target: TargetId, pathId: string): boolean {
    if (target === "proxy-ceiling" || target === "proxy-cache-ceiling") return pathId === "miss";
    // The memo only changes cache hits.
    if (target === "cache-ceiling" || target === "prod-redis") return pathId === "hit";
    return true;
}

export const ROOT = path.resolve(__dirname, "..", "..");
export const APP_DIR = path.join(ROOT, "app");

/** Builds the app when it has no standalone build (or when asked to). */
export function ensureBuild(force: boolean): void {
    const server = path.join(APP_DIR, ".next", "standalone", "server.js");
    if (!force && fs.existsSync(server)) {
        return;
    }
    process.stdout.write("bench: building the app (npm run build in app/)\n");
    const result = spawnSync("npm", ["run", "build"], { cwd: APP_DIR, stdio: "inherit" });
    if (result.status !== 0 || !fs.existsSync(server)) {
        throw new Error("app build failed: npm run build in app/ did not produce .next/standalone/server.js");
    }
}

/** The runtime stage of app/Dockerfile, as files: standalone + .next/static + public. */
export function stageImage(dir: string, appDir: string = APP_DIR): string {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(path.join(appDir, ".next", "standalone"), dir, { recursive: true, verbatimSymlinks: true });
    fs.cpSync(path.join(appDir, ".next", "static"), path.join(dir, ".next", "static"), { recursive: true });
    const pub = path.join(appDir, "public");
    if (fs.existsSync(pub)) {
        fs.cpSync(pub, path.join(dir, "public"), { recursive: true });
    }
    return dir;
}

/**
 * A copy of the app's sources for `next dev`, which writes .next/dev, next-env.d.ts and
 * tsconfig.json where it runs. node_modules is hard-linked (`cp -al`): a real directory
 * inside the project root, as Turbopack requires, at no disk cost.
 */
export function stageDevApp(dir: string): string {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const entry of fs.readdirSync(APP_DIR)) {
        if (entry === "node_modules" || entry === ".next" || entry === "test") continue;
        fs.cpSync(path.join(APP_DIR, entry), path.join(dir, entry), { recursive: true, verbatimSymlinks: true });
    }
    const linked = spawnSync("cp", ["-al", path.join(APP_DIR, "node_modules"), path.join(dir, "node_modules")]);
    if (linked.status !== 0) {
        fs.cpSync(path.join(APP_DIR, "node_modules"), path.join(dir, "node_modules"), { recursive: true, verbatimSymlinks: true });
    }
    return dir;
}

/**
 * A tools/bench server as plain JavaScript: run under ts-node it would carry the
 * TypeScript compiler in memory (~100 MiB) and its RSS would not be Node's.
 */
function stageCeiling(workDir: string, name = "ceiling-server"): string {
    // The round-trip ceilings import ./ceiling-support: staged beside them.
    return stageScripts(workDir, [name, "ceiling-support"]);
}

/** tools/bench/<name>.ts files as JavaScript in `workDir`; returns the first one's path. */
function stageScripts(workDir: string, names: readonly [string, ...string[]]): string {
    for (const file of names) {
        const source = fs.readFileSync(path.join(ROOT, "tools", "bench", `${file}.ts`), "utf8");
        const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
        // Written aside and renamed: (d) and (f) stage the same file, and one may be loading it.
        const staged = path.join(workDir, `${file}.js`);
        fs.writeFileSync(`${staged}.${process.pid}.tmp`, js.outputText);
        fs.renameSync(`${staged}.${process.pid}.tmp`, staged);
    }
    return path.join(workDir, `${names[0]}.js`);
}

/** NODE_OPTIONS that preload the GC observer (tools/bench/gc-observer.ts) after `existing`. */
function withGcObserver(workDir: string, existing: string | undefined): string {
    const preload = `-r ${JSON.stringify(stageScripts(workDir, ["gc-observer", "gc-log"]))}`;
    return existing === undefined || existing.trim() === "" ? preload : `${existing} ${preload}`;
}

/** Where the baseline build is staged in the work dir (tools/bench/run.ts stages it). */
export const BASELINE_IMAGE = "image-baseline";

export interface StartContext {
    readonly port: number;
    /** Database, Redis and app settings shared by every app server. */
    readonly env: NodeJS.ProcessEnv;
    readonly workDir: string;
    /** What the ceilings answer with: the production server's answers (body and headers) per path. */
    readonly ceilingAnswers: CeilingAnswers;
    /** The upstream stub's URL, for the proxy ceiling. */
    readonly upstreamUrl: string;
}

export function startTarget(id: TargetId, ctx: StartContext): Started {
    const logFile = path.join(ctx.workDir, `${id}.log`);
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...ctx.env,
        PORT: String(ctx.port),
        HOSTNAME: "127.0.0.1",
        INSTANCE_ID: `bench-${id}`,
        NEXT_TELEMETRY_DISABLED: "1",
    };
    // Every server, ceilings included, reports its GC pauses the same way.
    env.NODE_OPTIONS = withGcObserver(ctx.workDir, env.NODE_OPTIONS);
    switch (id) {
        case "dev": {
            const dir = path.join(ctx.workDir, "dev-app");
            const nextBin = path.join(dir, "node_modules", "next", "dist", "bin", "next");
            return startPinned(SERVER_CPU, process.execPath, [nextBin, "dev", "-p", String(ctx.port), "-H", "127.0.0.1"], {
                cwd: dir,
                env: { ...env, NODE_ENV: "development" },
                logFile,
            });
        }
        case "prod":
        case "prod-quiet":
        case "prod-redis":
        case "prod-next":
        case "prod-base": {
            const dir = path.join(ctx.workDir, id === "prod-base" ? BASELINE_IMAGE : "image");
            // As deployed (lib/app-contract.ts), but metrics flushed every second so a 5 s run pays for flushing too.
            const observability = id === "prod-quiet" ? { LOG_LEVEL: "silent", METRICS_FLUSH_S: "0" } : { LOG_LEVEL: "info", METRICS_FLUSH_S: "1", ACCESS_LOG_MAX_PER_S: "100" };
            return startPinned(SERVER_CPU, process.execPath, ["server.js"], {
                cwd: dir,
                env: {
                    ...env,
                    NODE_ENV: "production",
                    API_ROUTER: id === "prod-next" ? "next" : "lean",
                    ...observability,
                    ...(id === "prod-redis" ? { RESPONSE_MEMO_MS: "0" } : {}),
                },
                logFile,
            });
        }
        case "ceiling":
            return startPinned(SERVER_CPU, process.execPath, [stageCeiling(ctx.workDir)], {
                cwd: ctx.workDir,
                env: { ...env, CEILING_ANSWERS: JSON.stringify(ctx.ceilingAnswers) },
                logFile,
            });
        case "proxy-ceiling":
        case "proxy-cache-ceiling":
            return startPinned(SERVER_CPU, process.execPath, [stageCeiling(ctx.workDir, "proxy-ceiling-server")], {
                cwd: ctx.workDir,
                env: {
                    ...env,
                    IMAGE_DIR: path.join(ctx.workDir, "image"),
                    UPSTREAM_URL: ctx.upstreamUrl,
                    CEILING_ANSWERS: JSON.stringify(ctx.ceilingAnswers),
                    WITH_CACHE: id === "proxy-cache-ceiling" ? "1" : "0",
                },
                logFile,
            });
        case "cache-ceiling":
            return startPinned(SERVER_CPU, process.execPath, [stageCeiling(ctx.workDir, "cache-ceiling-server")], {
                cwd: ctx.workDir,
                env: { ...env, IMAGE_DIR: path.join(ctx.workDir, "image"), CEILING_ANSWERS: JSON.stringify(ctx.ceilingAnswers) },
                logFile,
            });
    }
}
