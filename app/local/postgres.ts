/**
 * A real PostgreSQL server for the tests: initdb into a temp dir and `postgres` on a
 * free loopback port. PostgreSQL refuses to run as root, so as root (CI) the server
 * runs as the `postgres` system user.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { Child } from "./child";
import { findPgBin } from "./pg-bin";
import { freePort, waitFor } from "./ports";

const BIN = findPgBin();
export const SUPERUSER = "postgres";
const SUPERUSER_PASSWORD = "test-superuser-pw";
export const APP_USER = "webfleet";
export const APP_PASSWORD = "test-app-password";
export const APP_DB = "webfleet";

function owner(): { uid: number; gid: number } | undefined {
    if (process.getuid?.() !== 0) {
        return undefined;
    }
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    return { uid, gid };
}

export class PgServer {
    private child: Child | undefined;

    private constructor(
        readonly dir: string,
        readonly port: number,
        readonly maxConnections: number,
        private readonly user: { uid: number; gid: number } | undefined,
        private readonly tls: { cert: string; key: string } | undefined,
    ) {}

    /** `tls`: serve TLS with this certificate (copied so the server user can read the key). */
    static async start(maxConnections: number, tls?: { cert: string; key: string }): Promise<PgServer> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webfleet-pg-"));
        const user = owner();
        if (user !== undefined) {
            fs.chownSync(dir, user.uid, user.gid);
        }
        const pwfile = path.join(dir, "pw");
        fs.writeFileSync(pwfile, SUPERUSER_PASSWORD);
        if (user !== undefined) {
            fs.chownSync(pwfile, user.uid, user.gid);
        }
        const data = path.join(dir, "data");
        execFileSync(
            path.join(BIN, "initdb"),
            ["-D", data, "-U", SUPERUSER, `--pwfile=${pwfile}`, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"],
            { stdio: "pipe", ...(user ?? {}) },
        );
        let serverTls: { cert: string; key: string } | undefined;
        if (tls !== undefined) {
            serverTls = { cert: path.join(dir, "server.crt"), key: path.join(dir, "server.key") };
            fs.copyFileSync(tls.cert, serverTls.cert);
            fs.copyFileSync(tls.key, serverTls.key);
            fs.chmodSync(serverTls.key, 0o600);
            if (user !== undefined) {
                fs.chownSync(serverTls.cert, user.uid, user.gid);
                fs.chownSync(serverTls.key, user.uid, user.gid);
            }
        }
        const server = new PgServer(dir, await freePort(), maxConnections, user, serverTls);
        await server.boot();
        const admin = await server.superuser();
        try {
            await admin.query(`CREATE ROLE ${APP_USER} LOGIN PASSWORD '${APP_PASSWORD}'`);
            await admin.query(`CREATE DATABASE ${APP_DB} OWNER ${APP_USER}`);
        } finally {
            await admin.end();
        }
        return server;
    }

    /** Starts (or restarts) the server process on the same data directory and port. */
    async boot(): Promise<void> {
        this.child = new Child(
            path.join(BIN, "postgres"),
            [
                "-D", path.join(this.dir, "data"),
                "-p", String(this.port),
                "-k", this.dir,
                "-c", "listen_addresses=127.0.0.1",
                "-c", `max_connections=${this.maxConnections}`,
                // Every slot open to every role, so over-subscription fails with PostgreSQL's
                // own "sorry, too many clients already"; the test budgets its own reserve.
                "-c", "superuser_reserved_connections=0",
                "-c", "fsync=off",
                "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off",
                ...(this.tls === undefined
                    ? []
                    : ["-c", "ssl=on", "-c", `ssl_cert_file=${this.tls.cert}`, "-c", `ssl_key_file=${this.tls.key}`]),
            ],
            { ...(this.user ?? {}) },
        );
        await waitFor("postgres to accept connections", async () => {
            if (this.child !== undefined && !this.child.running) {
                throw new Error(`postgres exited: ${this.child.tail()}`);
            }
            const c = await this.superuser();
            await c.end();
            return true;
        }, 30_000, 100);
    }

    /** Fast shutdown: connected clients are disconnected, as in a real outage. */
    async halt(): Promise<void> {
        await this.child?.stop("SIGINT", 15_000);
    }

    async superuser(database = "postgres"): Promise<Client> {
        const client = new Client({ host: "127.0.0.1", port: this.port, user: SUPERUSER, password: SUPERUSER_PASSWORD, database });
        await client.connect();
        return client;
    }

    async appClient(database = APP_DB): Promise<Client> {
        const client = new Client({ host: "127.0.0.1", port: this.port, user: APP_USER, password: APP_PASSWORD, database });
        await client.connect();
        return client;
    }

    get logs(): string {
        return this.child?.output ?? "";
    }

    async stop(): Promise<void> {
        await this.halt();
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
