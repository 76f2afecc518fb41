/**
 * HAProxy (Debian's package) as the local fleet's load balancer, standing in for the ALB:
 * round robin, an active health check on the app's health path every second (two
 * failures take an instance out, two successes bring it back, as the ALB's
 * healthy/unhealthy thresholds do), and a retry on another instance when a connection
 * cannot be made — safe, because the request never reached the app. Requests already
 * inside an instance that dies are not retried (they may have had effects), so they fail
 * with a 502, as they would behind an ALB.
 *
 * The admin socket lets the fleet read each server's state (`show stat`) and drain one
 * (`set server … state drain`), as ECS deregisters a task before stopping it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { HEALTH_CHECK_PATH } from "../../lib/app-contract";

export const HAPROXY = process.env.HAPROXY ?? "haproxy";
export const BACKEND = "instances";

export interface Backend {
    /** Server name in HAProxy: the instance's INSTANCE_ID. */
    readonly name: string;
    readonly port: number;
}

/** The whole configuration file; pure, so the test reads what HAProxy is told. */
export function haproxyConfig(opts: { readonly port: number; readonly socket: string; readonly backends: readonly Backend[] }): string {
    return [
        "global",
        "    maxconn 4096",
        `    stats socket ${opts.socket} mode 600 level admin`,
        // A soft stop (SIGUSR1) waits for open client connections; never longer than this.
        "    hard-stop-after 5s",
        "",
        "defaults",
        "    mode http",
        "    timeout connect 2s",
        "    timeout client 65s",
        "    timeout server 30s",
        "    timeout http-keep-alive 10s",
        "    timeout check 2s",
        // A refused connection (instance stopped or restarting) is retried on another instance.
        "    retries 3",
        "    option redispatch 1",
        "    retry-on conn-failure",
        "",
        "frontend web",
        `    bind 127.0.0.1:${opts.port}`,
        `    default_backend ${BACKEND}`,
        "",
        `backend ${BACKEND}`,
        "    balance roundrobin",
        "    option httpchk",
        `    http-check send meth GET uri ${HEALTH_CHECK_PATH}`,
        "    http-check expect status 200",
        "    default-server check inter 1s fall 2 rise 2 on-marked-down shutdown-sessions",
        ...opts.backends.map((b) => `    server ${b.name} 127.0.0.1:${b.port}`),
        "",
    ].join("\n");
}

/** "HAProxy 2.6.12…", or null when the binary is not installed. */
export function haproxyVersion(): string | null {
    try {
        const out = execFileSync(HAPROXY, ["-v"], { stdio: ["ignore", "pipe", "ignore"] }).toString();
        const m = /version (\S+)/.exec(out);
        return m === null ? "HAProxy" : `HAProxy ${m[1]}`;
    } catch {
        return null;
    }
}

/** Checks a configuration file with `haproxy -c`; returns HAProxy's complaint, or null. */
export function checkConfig(file: string): string | null {
    try {
        execFileSync(HAPROXY, ["-c", "-q", "-f", file], { stdio: ["ignore", "pipe", "pipe"] });
        return null;
    } catch (error) {
        const stderr = typeof error === "object" && error !== null && "stderr" in error ? String(error.stderr) : String(error);
        return stderr.trim();
    }
}

export function writeConfig(dir: string, port: number, backends: readonly Backend[]): { file: string; socket: string } {
    const socket = path.join(dir, "haproxy.sock");
    const file = path.join(dir, "haproxy.cfg");
    fs.writeFileSync(file, haproxyConfig({ port, socket, backends }));
    return { file, socket };
}

/** One command on the admin socket; resolves with HAProxy's whole answer. */
export function adminCommand(socket: string, command: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const conn = net.connect(socket);
        let out = "";
        conn.setTimeout(3000, () => conn.destroy(new Error(`HAProxy admin socket did not answer \`${command}\``)));
        conn.on("data", (d: Buffer) => (out += d.toString("utf8")));
        conn.on("error", reject);
        conn.on("end", () => resolve(out));
        conn.end(`${command}\n`);
    });
}

export interface ServerState {
    readonly name: string;
    /** HAProxy's words: UP, DOWN, DRAIN, "UP 1/2" (going down), "DOWN 1/2" (coming up), MAINT, no check. */
    readonly status: string;
    /** Requests HAProxy has sent it (cumulative sessions). */
    readonly sent: number;
    /** Sessions open on it now. */
    readonly current: number;
}

/** Parses `show stat` CSV (header `# pxname,svname,…`) into the backend's servers. */
export function parseStat(csv: string, backend = BACKEND): ServerState[] {
    const lines = csv.split("\n").filter((l) => l.trim() !== "");
    const header = lines[0]?.replace(/^# /, "").split(",") ?? [];
    const col = (name: string): number => {
        const i = header.indexOf(name);
        if (i === -1) {
            throw new Error(`HAProxy \`show stat\` has no ${name} column: ${lines[0] ?? "(empty answer)"}`);
        }
        return i;
    };
    const [px, sv, status, stot, scur] = [col("pxname"), col("svname"), col("status"), col("stot"), col("scur")];
    return lines
        .slice(1)
        .map((l) => l.split(","))
        .filter((f) => f[px] === backend && f[sv] !== "BACKEND" && f[sv] !== "FRONTEND")
        .map((f) => ({ name: f[sv], status: f[status], sent: Number(f[stot]), current: Number(f[scur]) }));
}
