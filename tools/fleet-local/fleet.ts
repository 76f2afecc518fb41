/**
 * The fleet on one machine: a real PostgreSQL (small max_connections), a real Redis with a
 * password and a JSON-RPC upstream stub (the app's own local servers, app/local), one
 * sample endpoint registered, N instances of the production build (`node server.js` in
 * app/.next/standalone, as the image runs it) with pools sized by the cloud fleet's
 * budget, and a load balancer in front: HAProxy with health checks (default) or the
 * hand-written round-robin proxy.
 *
 * A supervisor replaces an instance that exits while the fleet is up, as ECS replaces a
 * stopped task: once the balancer has taken it out, a new process starts on the same port
 * with the same INSTANCE_ID and rejoins when its health checks pass.
 *
 * Used by `npm run fleet:local` (tools/fleet-local/fleet-local.ts) and by
 * `npm run loadtest:local`. The app's helpers are loaded with import() only when a fleet
 * starts, so modules importing this one load on a machine without app/node_modules.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Child } from "../../app/local/child";
import { locatePgBin } from "../../app/local/pg-bin";
import { freePort, sleep, waitFor } from "../../app/local/ports";
import { Listening, startRoundRobinProxy } from "../loadtest/proxy";
import { ContainerInstance } from "./container";
import { adminCommand, BACKEND, checkConfig, haproxyVersion, HAPROXY, parseStat, ServerState, writeConfig } from "./haproxy";

export const APP_DIR = path.resolve(__dirname, "..", "..", "app");

export type BalancerKind = "haproxy" | "proxy";
export const BALANCERS: readonly BalancerKind[] = ["haproxy", "proxy"];

/** The sample endpoint's id: each fleet has a database of its own, so a fixed id is safe. */
export const SAMPLE_ENDPOINT = "sample";

/** Every reason a local fleet cannot start here (empty when it can), each with its fix. */
export function localFleetProblems(opts: {
    readonly lb: BalancerKind;
    /** Instances as containers: no local production build needed. */
    readonly docker?: boolean;
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly pgRoot?: string;
}): string[] {
    const problems: string[] = [];
    if (opts.docker !== true && !fs.existsSync(path.join(APP_DIR, ".next", "standalone", "server.js"))) {
        problems.push("no production build of the app: run `npm --prefix app run build`");
    }
    if (!fs.existsSync(path.join(APP_DIR, "node_modules", "pg"))) {
        problems.push("app dependencies missing: run `npm run setup` (or `npm --prefix app ci`)");
    }
    const pg = locatePgBin(opts.env ?? process.env, opts.pgRoot);
    if (!pg.ok) {
        problems.push(pg.problem);
    }
    if (!onPath(opts.env?.REDIS_SERVER ?? process.env.REDIS_SERVER ?? "redis-server")) {
        problems.push("no redis-server: run `npm run setup`");
    }
    if (opts.lb === "haproxy" && haproxyVersion() === null) {
        problems.push(`no HAProxy (\`${HAPROXY}\`): run \`npm run setup\`, or use --lb proxy`);
    }
    return problems;
}

function onPath(command: string): boolean {
    try {
        execFileSync("sh", ["-c", 'command -v "$0"', command], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

export interface FleetOptions {
    readonly replicas: number;
    /** The balancer's port on 127.0.0.1; 0 picks a free one. */
    readonly port: number;
    /** PostgreSQL's max_connections. */
    readonly maxConnections: number;
    /** Each instance's DB_POOL_MAX (from the budget). */
    readonly poolPerTask: number;
    readonly lb: BalancerKind;
    /** Replace an instance that exits (default true). */
    readonly restart?: boolean;
    /** Supervisor events, one line each (the CLI writes them to stderr). */
    readonly log?: (line: string) => void;
    /** INSTANCE_ID prefix: `<prefix>-1` … (default "local"). */
    readonly idPrefix?: string;
    /** Run each instance as a container of this image instead of `node server.js`. */
    readonly dockerImage?: string;
}

export interface InstanceView {
    readonly id: string;
    readonly port: number;
    /** Process id of the running process (`docker run` with --docker); undefined between an exit and its replacement. */
    readonly pid: number | undefined;
    /** The container's name, with --docker. */
    readonly container: string | undefined;
    readonly restarts: number;
}

export interface Fleet {
    /** The balancer's base URL. */
    readonly url: string;
    readonly endpointId: string;
    readonly lb: BalancerKind;
    /** "HAProxy 2.6.12" or "round-robin proxy (no health checks)". */
    readonly lbDescription: string;
    /** HAProxy's admin socket (undefined for the proxy). */
    readonly adminSocket: string | undefined;
    readonly postgres: { readonly port: number; readonly maxConnections: number; readonly bin: string };
    readonly redisUrl: string;
    readonly upstreamUrl: string;
    /** Temporary directories this fleet made (removed by stop). */
    readonly tempDirs: readonly string[];
    instances(): InstanceView[];
    /** The balancer's view of each instance (HAProxy's health-check state; the proxy: running or not). */
    balancerState(): Promise<ServerState[]>;
    /** Waits until the balancer sends to every instance. */
    waitAllUp(timeoutMs?: number): Promise<void>;
    /** Makes the upstream stub answer HTTP 500 (on) or normally (off). */
    failUpstream(on: boolean): void;
    stop(): Promise<void>;
}

interface Balancer {
    readonly url: string;
    readonly description: string;
    readonly adminSocket: string | undefined;
    state(slots: readonly Slot[]): Promise<ServerState[]>;
    stop(): Promise<void>;
}

/** A running instance: a `node server.js` process or a `docker run` in the foreground. */
interface RunningInstance {
    readonly child: Child;
    readonly containerName?: string;
    stop(): Promise<number | null>;
}

class Slot {
    app: RunningInstance | undefined;
    restarts = 0;
    /** A replacement being started; stop() waits for it. */
    replacing: Promise<void> | undefined;
    constructor(
        readonly id: string,
        readonly port: number,
    ) {}
    view(): InstanceView {
        const running = this.app !== undefined && this.app.child.running;
        return { id: this.id, port: this.port, pid: running ? this.app?.child.proc.pid : undefined, container: this.app?.containerName, restarts: this.restarts };
    }
}

async function assertPortFree(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
        const probe = net.createServer();
        probe.once("error", (error: NodeJS.ErrnoException) =>
            reject(
                new Error(
                    error.code === "EADDRINUSE"
                        ? `port ${port} on 127.0.0.1 is in use; choose another with --port`
                        : `cannot listen on 127.0.0.1:${port}: ${error.message}`,
                ),
            ),
        );
        probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
    });
}

async function startHaproxy(port: number, slots: readonly Slot[], dir: string): Promise<Balancer> {
    const { file, socket } = writeConfig(dir, port, slots.map((s) => ({ name: s.id, port: s.port })));
    const invalid = checkConfig(file);
    if (invalid !== null) {
        throw new Error(`HAProxy refused the generated configuration ${file}: ${invalid}`);
    }
    // -db: stay in the foreground, so the fleet owns the process and its exit.
    const child = new Child(HAPROXY, ["-db", "-f", file], {});
    const state = async (): Promise<ServerState[]> => parseStat(await adminCommand(socket, "show stat"));
    await waitFor("HAProxy to open its admin socket", async () => {
        if (!child.running) {
            throw new Error(`HAProxy exited (${child.exitCode}): ${child.tail()}`);
        }
        return (await state()).length === slots.length;
    }, 15_000, 100);
    return {
        url: `http://127.0.0.1:${port}`,
        description: `${haproxyVersion() ?? "HAProxy"} (health check GET /api/health every 1 s)`,
        adminSocket: socket,
        state,
        // SIGUSR1 is HAProxy's soft stop: close the listener, finish open requests.
        stop: async () => {
            await child.stop("SIGUSR1", 10_000);
        },
    };
}

async function startProxy(port: number, slots: readonly Slot[]): Promise<Balancer> {
    const proxy: Listening = await startRoundRobinProxy(slots.map((s) => `http://127.0.0.1:${s.port}`), port);
    return {
        url: proxy.url,
        description: "round-robin proxy (tools/loadtest/proxy.ts; no health checks)",
        adminSocket: undefined,
        // It has no view of its own: it sends to every instance, running or not.
        state: async (all) => all.map((s) => ({ name: s.id, status: s.view().pid === undefined ? "no check (stopped)" : "no check", sent: 0, current: 0 })),
        stop: () => proxy.close(),
    };
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
    const log = options.log ?? (() => undefined);
    const restart = options.restart ?? true;
    const balancerPort = options.port === 0 ? await freePort() : options.port;
    await assertPortFree(balancerPort);

    const fixtureModule = await import("../../app/local/fixture");
    const appModule = await import("../../app/local/app");
    const pgBin = locatePgBin();
    if (!pgBin.ok) {
        throw new Error(pgBin.problem);
    }
    await fixtureModule.startFixture(options.maxConnections);
    const f = fixtureModule.fixture();
    const tempDirs: string[] = [];
    const slots: Slot[] = [];
    let balancer: Balancer | undefined;
    let stopping = false;
    let stopped: Promise<void> | undefined;

    const startInstance = async (slot: Slot): Promise<void> => {
        const env = { PORT: String(slot.port), DB_POOL_MAX: String(options.poolPerTask) };
        slot.app =
            options.dockerImage === undefined
                ? await appModule.AppInstance.start(f, env, slot.id)
                : await ContainerInstance.start(f, env, slot.id, options.dockerImage);
        const app = slot.app;
        void app.child.exited.then((code) => {
            if (!stopping && slot.app === app) {
                slot.replacing = replace(slot, code);
            }
        });
    };

    /** Waits for the balancer to take the instance out, then starts a new one in its place. */
    const replace = async (slot: Slot, code: number | null): Promise<void> => {
        const exitedAt = Date.now();
        log(`${slot.id} (pid ${slot.app?.child.proc.pid}) exited with ${code === null ? "a signal" : `code ${code}`}`);
        if (!restart) {
            return;
        }
        if (balancer !== undefined && balancer.adminSocket !== undefined) {
            const b = balancer;
            await waitFor(`the balancer to take ${slot.id} out`, async () => {
                if (stopping) {
                    return true;
                }
                const s = (await b.state(slots)).find((x) => x.name === slot.id);
                return s !== undefined && !s.status.startsWith("UP");
            }, 30_000, 100).then(
                () => log(`${slot.id}: balancer marked it down ${((Date.now() - exitedAt) / 1000).toFixed(1)} s after the exit; starting a replacement`),
                () => log(`${slot.id}: balancer still shows it up after 30 s; starting a replacement anyway`),
            );
        }
        while (!stopping) {
            try {
                await startInstance(slot);
                slot.restarts += 1;
                if (stopping) {
                    await slot.app?.stop();
                    return;
                }
                if (balancer?.adminSocket !== undefined) {
                    // An instance drained by hand (`set server … state drain`) stays drained in
                    // HAProxy across its exit; its replacement is a new task and takes traffic.
                    await adminCommand(balancer.adminSocket, `set server ${BACKEND}/${slot.id} state ready`).catch(() => undefined);
                }
                log(`${slot.id}: replacement running (pid ${slot.app?.child.proc.pid}); it rejoins when its health checks pass`);
                return;
            } catch (error) {
                log(`${slot.id}: replacement failed to start: ${error instanceof Error ? error.message : String(error)}; retrying in 2 s`);
                await sleep(2000);
            }
        }
    };

    const stop = (): Promise<void> => {
        stopped ??= (async () => {
            stopping = true;
            await balancer?.stop().catch(() => undefined);
            await Promise.all(slots.map((s) => s.replacing?.catch(() => undefined)));
            await Promise.all(slots.map((s) => s.app?.stop().catch(() => undefined)));
            await fixtureModule.stopFixture();
            for (const dir of tempDirs) {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        })();
        return stopped;
    };

    try {
        await fixtureModule.addEndpoint(SAMPLE_ENDPOINT, f.upstream.url);
        const prefix = options.idPrefix ?? "local";
        for (let i = 1; i <= options.replicas; i++) {
            slots.push(new Slot(`${prefix}-${i}`, await freePort()));
        }
        const starts = await Promise.allSettled(slots.map((s) => startInstance(s)));
        const failed = starts.find((s): s is PromiseRejectedResult => s.status === "rejected");
        if (failed !== undefined) {
            throw failed.reason;
        }
        if (options.lb === "haproxy") {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webfleet-fleet-"));
            tempDirs.push(dir);
            balancer = await startHaproxy(balancerPort, slots, dir);
        } else {
            balancer = await startProxy(balancerPort, slots);
        }
    } catch (error) {
        await stop();
        throw error;
    }
    const b = balancer;

    const fleet: Fleet = {
        url: b.url,
        endpointId: SAMPLE_ENDPOINT,
        lb: options.lb,
        lbDescription: b.description,
        adminSocket: b.adminSocket,
        postgres: { port: f.pg.port, maxConnections: options.maxConnections, bin: pgBin.bin },
        redisUrl: f.redis.url,
        upstreamUrl: f.upstream.url,
        tempDirs: [...tempDirs, f.pg.dir],
        instances: () => slots.map((s) => s.view()),
        balancerState: () => b.state(slots),
        waitAllUp: (timeoutMs = 60_000) =>
            waitFor("the balancer to send to every instance", async () => {
                const states = await b.state(slots);
                return states.length === slots.length && states.every((s) => s.status === "UP" || s.status === "no check");
            }, timeoutMs, 100),
        failUpstream: (on) => {
            f.upstream.behaviour = { delayMs: 0, fault: on ? "http-500" : "none" };
        },
        stop,
    };
    return fleet;
}

