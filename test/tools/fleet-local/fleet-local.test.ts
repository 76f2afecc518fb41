/**
 * `npm run fleet:local -- --replicas 3` as a user runs it (a child process), checked by
 * counts only: the spread over instances, each instance's PostgreSQL connections against
 * its DB_POOL_MAX (pg_stat_activity, application_name per instance), an instance killed
 * under load (failures bounded by what was in flight, traffic moving to the others, the
 * replacement rejoining), and after SIGTERM no process and no temporary directory left.
 * Skipped, saying why, where the app is not built or a server is not installed.
 */
import assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { request } from "../../../app/local/http";
import { freePort, waitFor } from "../../../app/local/ports";
import { startLoad } from "../../../app/local/load";
import { findPgBin } from "../../../app/local/pg-bin";
import { checkSpread } from "../../../tools/fleet-local/check";
import { localFleetProblems } from "../../../tools/fleet-local/fleet";
import { adminCommand, parseStat } from "../../../tools/fleet-local/haproxy";

const ROOT = path.resolve(__dirname, "../../..");
const REPLICAS = 3;

interface Banner {
    readonly instances: ReadonlyArray<{ id: string; port: number; pid: number; pool: number }>;
    readonly socket: string;
    readonly pgPort: number;
}

function parseBanner(text: string): Banner {
    const instances = [...text.matchAll(/^\s+(local-\d+)\s+127\.0\.0\.1:(\d+)\s+pid (\d+)\s+DB_POOL_MAX (\d+)/gm)].map((m) => ({
        id: m[1],
        port: Number(m[2]),
        pid: Number(m[3]),
        pool: Number(m[4]),
    }));
    const socket = /admin socket (\S+)/.exec(text)?.[1];
    const pgPort = /^PostgreSQL\s+127\.0\.0\.1:(\d+)/m.exec(text)?.[1];
    assert.ok(socket !== undefined && pgPort !== undefined, `banner lacks the admin socket or PostgreSQL port:\n${text}`);
    return { instances, socket, pgPort: Number(pgPort) };
}

/** Every process below `root` (from /proc), so the test can check they are all gone. */
function descendants(root: number): number[] {
    const parent = new Map<number, number>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            // pid (comm) state ppid …; comm may contain spaces, so split after the last ")".
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            parent.set(Number(entry), ppid);
        } catch {
            // exited while we read
        }
    }
    const out: number[] = [];
    const walk = (pid: number): void => {
        for (const [child, ppid] of parent) {
            if (ppid === pid) {
                out.push(child);
                walk(child);
            }
        }
    };
    walk(root);
    return out;
}

/** Running (a zombie has exited: it only waits for its parent to read its status). */
function alive(pid: number): boolean {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    } catch {
        return false;
    }
}

async function balancerStatus(socket: string): Promise<Map<string, string>> {
    return new Map(parseStat(await adminCommand(socket, "show stat")).map((s) => [s.name, s.status]));
}

describe("fleet:local with 3 replicas (HAProxy in front)", function () {
    this.timeout(300_000);
    let cli: ChildProcess | undefined;
    let tmp = "";
    let stdout = "";
    let stderr = "";
    let port = 0;
    let banner: Banner | undefined;
    let tree: number[] = [];

    before(async function () {
        const problems = localFleetProblems({ lb: "haproxy" });
        if (problems.length > 0) {
            console.log(`    skipped: ${problems.join("; ")}`);
            this.skip();
        }
        // The fleet's temporary directories go here, so the test sees exactly what it made.
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "webfleet-fleet-test-"));
        fs.chmodSync(tmp, 0o755); // PostgreSQL runs as the postgres user under root
        port = await freePort();
        cli = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/fleet-local/fleet-local.ts", "--replicas", String(REPLICAS), "--port", String(port)], {
            cwd: ROOT,
            // v8-compile-cache (loaded by the TypeScript tooling) would leave its cache in TMPDIR.
            env: { ...process.env, TMPDIR: tmp, DISABLE_V8_COMPILE_CACHE: "1" },
            stdio: ["ignore", "pipe", "pipe"],
        });
        cli.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
        cli.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
        const child = cli;
        await waitFor("fleet:local to print ready", async () => {
            if (child.exitCode !== null) {
                throw new Error(`fleet:local exited ${child.exitCode}:\n${stdout}\n${stderr}`);
            }
            return stdout.includes("fleet:local: ready");
        }, 240_000, 200);
        banner = parseBanner(stdout);
    });

    after(async () => {
        // Only when a test failed before the stop test: leave nothing behind either way.
        if (cli !== undefined && cli.exitCode === null) {
            const pids = descendants(cli.pid ?? -1);
            cli.kill("SIGTERM");
            await new Promise((resolve) => setTimeout(resolve, 15_000).unref()).then(() => undefined);
            for (const pid of [...pids, cli.pid ?? -1]) {
                if (alive(pid)) {
                    process.kill(pid, "SIGKILL");
                }
            }
        }
        if (tmp !== "") {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("prints the three instances with the budget's pool (min(50, floor((60 − 10) / 6)) = 8)", () => {
        assert.ok(banner);
        assert.deepEqual(banner.instances.map((i) => [i.id, i.pool]), [["local-1", 8], ["local-2", 8], ["local-3", 8]]);
        assert.match(stdout, /pool per task\s+8\s+min\(dbPoolMaxPerTask 50, floor\(\(60 − 10\) \/ 6\)/);
        assert.match(stdout, /curl -si -X POST 'http:\/\/127\.0\.0\.1:\d+\/api\/gateway\?endpoint=sample'/);
        assert.match(stdout, /npm run loadtest -- --url http:\/\/127\.0\.0\.1:\d+ --endpoint sample/);
    });

    it("spreads 30 requests over all three instances, every one answered 200", async () => {
        const r = await checkSpread(new URL(`http://127.0.0.1:${port}/api/gateway?endpoint=sample`), 30);
        assert.equal(r.failures.length, 0, r.failures.join("\n"));
        assert.equal(r.statuses.get(200), 30);
        assert.deepEqual([...r.spread.keys()].sort(), ["local-1", "local-2", "local-3"]);
    });

    it("never holds more PostgreSQL connections per instance than its DB_POOL_MAX, and reaches it under load", async () => {
        assert.ok(banner);
        const b = banner;
        // psql over the server's Unix socket (in its temporary directory; local connections are trusted).
        const pgDir = fs.readdirSync(tmp).find((d) => d.startsWith("webfleet-pg-"));
        assert.ok(pgDir !== undefined, `no PostgreSQL directory in ${tmp}`);
        const counts = async (): Promise<Map<string, number>> => {
            const out = execFileSync(path.join(findPgBin(), "psql"), [
                "-h", path.join(tmp, pgDir), "-p", String(b.pgPort), "-U", "postgres", "-d", "postgres", "-tA", "-F", " ", "-c",
                "SELECT application_name, count(*) FROM pg_stat_activity WHERE application_name LIKE 'webfleet-gateway/%' GROUP BY 1",
            ]).toString();
            return new Map(out.trim().split("\n").filter((l) => l !== "").map((l) => {
                const [name, n] = l.split(" ");
                return [name, Number(n)];
            }));
        };
        {
            // /api/ready runs a query on the instance's pool; 40 at once per instance ask for
            // more connections than the pool may open, so each pool fills to its maximum.
            let full = false;
            for (let round = 0; round < 10 && !full; round++) {
                await Promise.all(b.instances.flatMap((i) => Array.from({ length: 40 }, () => request(i.port, "GET", "/api/ready", undefined, { agent: false }))));
                const seen = await counts();
                for (const i of b.instances) {
                    const n = seen.get(`webfleet-gateway/${i.id}`) ?? 0;
                    assert.ok(n <= i.pool, `${i.id} holds ${n} connections, more than DB_POOL_MAX ${i.pool}`);
                }
                full = b.instances.every((i) => seen.get(`webfleet-gateway/${i.id}`) === i.pool);
            }
            assert.ok(full, `pools never reached DB_POOL_MAX: ${JSON.stringify([...(await counts())])}`);
        }
    });

    it("takes a killed instance out: only requests sent before HAProxy marked it down fail, traffic moves, the replacement rejoins", async () => {
        assert.ok(banner);
        const b = banner;
        const victim = b.instances[1];
        const concurrency = 8;
        type Phase = "before" | "kill" | "down" | "after";
        let phase: Phase = "before";
        // Each request is counted under the phase it was SENT in: a request sent after
        // HAProxy marked the instance down can only have gone to the others.
        const answered = new Map<Phase, Map<string, number>>();
        const failed = new Map<Phase, string[]>();
        const load = startLoad({
            concurrency,
            durationMs: 240_000,
            maxRequests: 1_000_000,
            send: async (n) => {
                const sentIn = phase;
                const reply = await request(port, "POST", "/api/gateway?endpoint=sample", JSON.stringify({ jsonrpc: "2.0", method: "eth_chainId", params: [], id: n }), { agent: false }).catch((error: unknown) => {
                    failed.set(sentIn, [...(failed.get(sentIn) ?? []), error instanceof Error ? error.message : String(error)]);
                    throw error;
                });
                if (reply.status !== 200) {
                    failed.set(sentIn, [...(failed.get(sentIn) ?? []), `HTTP ${reply.status}`]);
                }
                const tally = answered.get(sentIn) ?? new Map<string, number>();
                const id = String(reply.headers["x-instance-id"]);
                tally.set(id, (tally.get(id) ?? 0) + 1);
                answered.set(sentIn, tally);
                return reply;
            },
        });
        try {
            await waitFor("100 requests before the kill", async () => load.result.total >= 100, 120_000, 20);
            phase = "kill";
            process.kill(victim.pid, "SIGKILL");
            await waitFor(`HAProxy to mark ${victim.id} down`, async () => !(await balancerStatus(b.socket)).get(victim.id)?.startsWith("UP"), 60_000, 50);
            phase = "down";
            const atDown = load.result.total;
            await waitFor("100 requests with the instance out", async () => load.result.total >= atDown + 100, 120_000, 20);
            // The supervisor starts a replacement only after the balancer took it out; until
            // that replacement passes its health checks, nothing may reach the victim's id.
            phase = "after";
        } finally {
            load.stop();
            await load.done;
        }
        // Sent before the kill and still in flight at it, or sent between the kill and HAProxy's verdict.
        const during = [...(failed.get("before") ?? []), ...(failed.get("kill") ?? [])];
        console.log(`    kill -9 under load (concurrency ${concurrency}): ${during.length} of ${load.result.total} failed, all sent before HAProxy marked ${victim.id} down (${[...new Set(during)].join(", ") || "none"})`);
        assert.deepEqual(failed.get("down") ?? [], [], "a request sent after the instance was marked down failed");
        // What fails is what was already on its way to the dead instance: mostly the balancer's
        // 502, sometimes a connection HAProxy closed with no answer at all. The latter was seen
        // once, in a clean-clone CI run (2026-11-29 19:22 UTC: one "socket hang up" among the
        // requests in flight at the kill); HAProxy keeps no log here, so its reason is unknown.
        // Both are what a kill -9 does to requests already sent to the instance. The assertion
        // above is the one that matters: nothing sent after HAProxy marked it down fails.
        const IN_FLIGHT_FAILURES = new Set(["HTTP 502", "socket hang up"]);
        assert.deepEqual(during.filter((f) => !IN_FLIGHT_FAILURES.has(f)), []);
        assert.ok((answered.get("before")?.get(victim.id) ?? 0) > 0, "the victim answered before the kill");
        const down = answered.get("down") ?? new Map<string, number>();
        assert.equal(down.get(victim.id) ?? 0, 0, `requests reached ${victim.id} after HAProxy marked it down`);
        assert.ok((down.get("local-1") ?? 0) > 0 && (down.get("local-3") ?? 0) > 0, JSON.stringify([...down]));

        await waitFor(`a replacement for ${victim.id} to pass its health checks`, async () => (await balancerStatus(b.socket)).get(victim.id) === "UP", 180_000, 200);
        const replaced = new RegExp(`${victim.id}: replacement running \\(pid (\\d+)\\)`).exec(stderr);
        assert.ok(replaced, stderr);
        assert.notEqual(Number(replaced[1]), victim.pid);
        const r = await checkSpread(new URL(`http://127.0.0.1:${port}/api/gateway?endpoint=sample`), 30);
        assert.equal(r.statuses.get(200), 30);
        assert.deepEqual([...r.spread.keys()].sort(), ["local-1", "local-2", "local-3"]);
    });

    it("stops on SIGTERM with exit 0, leaving no process and no temporary directory", async () => {
        assert.ok(cli);
        const c = cli;
        tree = descendants(c.pid ?? -1);
        // haproxy, 3 instances, postgres (+ its own workers), redis-server at least.
        assert.ok(tree.length >= 6, `expected the fleet's processes below the CLI, found ${tree.length}`);
        const exited = new Promise<number | null>((resolve) => c.once("exit", (code) => resolve(code)));
        c.kill("SIGTERM");
        assert.equal(await exited, 0, stderr);
        const left = tree.filter(alive);
        assert.deepEqual(left, [], `still running: ${left.join(", ")}`);
        assert.deepEqual(fs.readdirSync(tmp), []);
        assert.match(stderr, /SIGTERM received; stopping/);
    });
});
