/**
 * `npm run fleet:local [-- --replicas 4 --port 8080 --max-connections 60 --lb haproxy]`
 *
 * Runs the fleet on this machine until Ctrl-C (or SIGTERM), then stops everything it
 * started. What it starts and why: tools/fleet-local/fleet.ts. `--check` starts it, sends
 * 20 requests through the balancer, shows the spread over instances and stops (exit 0
 * when every request was answered and every instance answered some).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { formatProblems } from "../../lib/problems";
import { formatCapacity } from "../plan/format";
import { ArgProblem, formatArgProblems, readInteger, scanArgs } from "../loadtest/args";
import { jsonRpcBody } from "../loadtest/run";
import { localCapacity, projectBudgetDefaults } from "./budget";
import { checkPassed, checkSpread, formatCheck } from "./check";
import { DEFAULT_IMAGE, dockerProblem } from "./container";
import { APP_DIR, BalancerKind, BALANCERS, Fleet, localFleetProblems, startFleet } from "./fleet";

export const USAGE = `Usage: npm run fleet:local [-- options]

Starts the fleet on this machine and keeps it up until Ctrl-C: PostgreSQL with a small
max_connections, Redis with a password, N instances of the production build (each with
the pool the cloud fleet's budget gives it), a load balancer in front, and one sample
endpoint whose upstream is a stub on loopback. Everything listens on 127.0.0.1 only.

  --replicas <n>          instances, 1..16 (default 4)
  --port <n>              the balancer's port on 127.0.0.1, 1..65535 (default 8080)
  --max-connections <n>   PostgreSQL max_connections, 10..1000 (default 60); the pools come from it
  --lb <name>             haproxy (default: health checks, draining) or proxy (hand-written round robin)
  --check                 start, send 20 requests, show the spread over instances, stop
  --docker                run the instances as containers of the image (needs a Docker engine)
  --image <tag>           the image for --docker (default ${DEFAULT_IMAGE}, what \`npm run test:image\` builds)
  --help                  this text

Needs \`npm run setup\` (PostgreSQL, Redis, HAProxy, npm dependencies); builds the app's
production build first when its sources changed.`;

export interface FleetArgs {
    readonly replicas: number;
    readonly port: number;
    readonly maxConnections: number;
    readonly lb: BalancerKind;
    readonly check: boolean;
    readonly docker: boolean;
    readonly image: string;
}

export type ParsedFleetArgs =
    | { readonly kind: "ok"; readonly args: FleetArgs }
    | { readonly kind: "help" }
    | { readonly kind: "error"; readonly problems: readonly ArgProblem[] };

const VALUE_OPTIONS = ["replicas", "port", "max-connections", "lb", "image"] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

export function parseFleetArgs(argv: readonly string[]): ParsedFleetArgs {
    const { values, flags, problems } = scanArgs(argv, VALUE_OPTIONS, ["check", "docker", "help"]);
    if (flags.has("help")) {
        return { kind: "help" };
    }
    const integer = (name: ValueOption, fallback: number, min: number, max: number): number => {
        const raw = values.get(name);
        if (raw === undefined) {
            return fallback;
        }
        const parsed = readInteger(raw, min, max);
        if ("allowed" in parsed) {
            problems.push({ option: `--${name}`, given: raw, allowed: parsed.allowed });
            return fallback;
        }
        return parsed.value;
    };
    const replicas = integer("replicas", 4, 1, 16);
    const port = integer("port", 8080, 1, 65535);
    const maxConnections = integer("max-connections", 60, 10, 1000);
    const rawLb = values.get("lb") ?? "haproxy";
    const lb = BALANCERS.find((b) => b === rawLb);
    if (lb === undefined) {
        problems.push({ option: "--lb", given: rawLb, allowed: `one of ${BALANCERS.join(", ")}` });
    }
    if (problems.length > 0 || lb === undefined) {
        return { kind: "error", problems };
    }
    const image = values.get("image") ?? DEFAULT_IMAGE;
    if (!/^[a-z0-9][a-z0-9._\/:@-]{0,254}$/.test(image)) {
        problems.push({ option: "--image", given: image, allowed: "a Docker image reference, e.g. webfleet-web:test" });
    }
    if (values.has("image") && !flags.has("docker")) {
        problems.push({ option: "--image", given: image, allowed: "only with --docker" });
    }
    if (problems.length > 0) {
        return { kind: "error", problems };
    }
    return { kind: "ok", args: { replicas, port, maxConnections, lb, check: flags.has("check"), docker: flags.has("docker"), image } };
}

function sampleCurl(fleet: Fleet): string {
    const body = jsonRpcBody("eth_blockNumber");
    return `curl -si -X POST '${fleet.url}/api/gateway?endpoint=${fleet.endpointId}' -H 'content-type: application/json' -d '${body}'`;
}

export function banner(fleet: Fleet, args: FleetArgs, capacityLines: readonly string[], pool: number): string[] {
    const rows = fleet.instances().map(
        (i) =>
            `  ${i.id.padEnd(10)} 127.0.0.1:${String(i.port).padEnd(6)} pid ${String(i.pid ?? "-").padEnd(8)} DB_POOL_MAX ${pool}` +
            (i.container === undefined ? "" : `  container ${i.container}`),
    );
    const kill = args.docker ? "docker kill <container>" : "kill -9 <pid>";
    return [
        `fleet:local: ${args.replicas} instance(s) of the production build${args.docker ? ` (containers of ${args.image})` : ""} behind ${fleet.lbDescription}`,
        "",
        `URL         ${fleet.url}`,
        "",
        ...capacityLines,
        "",
        "Instances (application_name webfleet-gateway/<id> in pg_stat_activity)",
        ...rows,
        `PostgreSQL  127.0.0.1:${fleet.postgres.port} (max_connections ${fleet.postgres.maxConnections}, ${fleet.postgres.bin})`,
        `Redis       ${fleet.redisUrl} (password required)`,
        `Upstream    ${fleet.upstreamUrl} (stub) ← endpoint "${fleet.endpointId}"`,
        ...(fleet.adminSocket === undefined ? [] : [`HAProxy     admin socket ${fleet.adminSocket} (show stat, set server instances/<id> state drain)`]),
        "",
        "Try it:",
        `  ${sampleCurl(fleet)}`,
        `  npm run fleet:check -- --url ${fleet.url}                  # 20 requests, spread over instances`,
        `  npm run loadtest -- --url ${fleet.url} --endpoint ${fleet.endpointId} --rps 200 --duration 10s`,
        `  ${kill.padEnd(19)} # an instance dies: the balancer takes it out, a replacement rejoins`,
        "",
        "fleet:local: ready; Ctrl-C stops everything",
    ];
}

export async function fleetMain(argv: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
    const parsed = parseFleetArgs(argv);
    if (parsed.kind === "help") {
        out(USAGE);
        return 0;
    }
    if (parsed.kind === "error") {
        err(formatArgProblems(parsed.problems, "fleet:local"));
        return 2;
    }
    const args = parsed.args;
    const budget = localCapacity(args.replicas, args.maxConnections, projectBudgetDefaults());
    if (!budget.ok) {
        err(
            `fleet:local: --replicas ${args.replicas} does not fit --max-connections ${args.maxConnections} ` +
                "(the same budget as `pulumi preview`; the other inputs are Pulumi.yaml's defaults):\n" +
                formatProblems(budget.problems).split("\n").slice(0, -1).join("\n") +
                "\nLocally: lower --replicas or raise --max-connections.",
        );
        return 2;
    }
    if (args.docker) {
        const problem = dockerProblem(args.image);
        if (problem !== null) {
            err(`fleet:local: ${problem}`);
            return 2;
        }
    } else if (fs.existsSync(path.join(APP_DIR, "node_modules", "next"))) {
        // Always the current source: a fresh machine has no build yet; later runs skip in a second.
        err("fleet:local: building the app's production build if its sources changed (the first build takes a minute or two) …");
        execFileSync(process.execPath, [path.join(APP_DIR, "scripts", "build.js"), "--if-changed"], { cwd: APP_DIR, stdio: ["ignore", 2, 2] });
    }
    const problems = localFleetProblems({ lb: args.lb, docker: args.docker });
    if (problems.length > 0) {
        err(`fleet:local: cannot start here:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        return 2;
    }
    const capacityLines = formatCapacity({
        stack: "fleet:local",
        overrides: { replicas: String(args.replicas), dbMaxConnections: String(args.maxConnections) },
        capacity: budget.plan,
        deploymentMaximumPercent: projectBudgetDefaults().deploymentMaximumPercent,
        dbPoolMaxPerTask: projectBudgetDefaults().dbPoolMaxPerTask,
    });

    // Listen before starting anything: a Ctrl-C during start-up still stops what has started.
    const signalled = new Promise<NodeJS.Signals>((resolve) => {
        for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
            process.once(s, () => resolve(s));
        }
    });
    err(`fleet:local: starting PostgreSQL, Redis, ${args.replicas} instance(s) and ${args.lb} on 127.0.0.1:${args.port} …`);
    const fleet = await startFleet({
        replicas: args.replicas,
        port: args.port,
        maxConnections: args.maxConnections,
        poolPerTask: budget.plan.poolPerTask,
        lb: args.lb,
        log: (line) => err(`fleet:local: ${line}`),
        ...(args.docker ? { dockerImage: args.image } : {}),
    });
    // From here on, every way out stops the fleet first.
    let stopping: Promise<void> | undefined;
    const stop = (why: string): Promise<void> => {
        stopping ??= (async () => {
            err(`fleet:local: ${why}; stopping the balancer, the instances, PostgreSQL and Redis …`);
            await fleet.stop();
            err("fleet:local: stopped; nothing left running");
        })();
        return stopping;
    };
    try {
        await fleet.waitAllUp();
        for (const line of banner(fleet, args, capacityLines, budget.plan.poolPerTask)) {
            out(line);
        }
        if (args.check) {
            const result = await checkSpread(new URL(`/api/gateway?endpoint=${fleet.endpointId}`, fleet.url), 20);
            out("");
            for (const line of formatCheck(result, args.replicas)) {
                out(line);
            }
            await stop("check done");
            return checkPassed(result, args.replicas) ? 0 : 1;
        }
        const signal = await signalled;
        await stop(`${signal} received`);
        return 0;
    } catch (error) {
        await stop("failed");
        throw error;
    }
}

if (require.main === module) {
    fleetMain(process.argv.slice(2), (l) => process.stdout.write(`${l}\n`), (l) => process.stderr.write(`${l}\n`)).then(
        (code) => {
            process.exit(code);
        },
        (error: unknown) => {
            process.stderr.write(`fleet:local: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exit(2);
        },
    );
}
