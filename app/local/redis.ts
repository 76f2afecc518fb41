/** A real redis-server on a free loopback port, no persistence, password required. */
import { Child } from "./child";
import { freePort, sleep, waitFor } from "./ports";
import net from "node:net";

export const REDIS_PASSWORD = "test-redis-auth-token-0123456789";

export class RedisServer {
    private child: Child | undefined;

    private constructor(
        readonly port: number,
        /** With TLS, `port` speaks TLS and a plain port is kept for the test's own commands. */
        private readonly tls: { cert: string; key: string; ca: string; plainPort: number } | undefined,
    ) {}

    static async start(tls?: { cert: string; key: string; ca: string }): Promise<RedisServer> {
        const server = new RedisServer(await freePort(), tls === undefined ? undefined : { ...tls, plainPort: await freePort() });
        await server.boot();
        return server;
    }

    get url(): string {
        return `${this.tls === undefined ? "redis" : "rediss"}://127.0.0.1:${this.port}`;
    }

    private get plainPort(): number {
        return this.tls?.plainPort ?? this.port;
    }

    async boot(): Promise<void> {
        this.child = new Child(
            process.env.REDIS_SERVER ?? "redis-server",
            [
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", REDIS_PASSWORD,
                ...(this.tls === undefined
                    ? ["--port", String(this.port)]
                    : ["--port", String(this.tls.plainPort), "--tls-port", String(this.port), "--tls-cert-file", this.tls.cert,
                       "--tls-key-file", this.tls.key, "--tls-ca-cert-file", this.tls.ca, "--tls-auth-clients", "no"]),
            ],
            {},
        );
        await waitFor("redis to accept connections", async () => {
            if (this.child !== undefined && !this.child.running) {
                throw new Error(`redis-server exited: ${this.child.tail()}`);
            }
            return (await this.command(["PING"])).startsWith("+PONG");
        }, 15_000, 50);
    }

    /** One raw RESP command after AUTH; enough for the tests (FLUSHALL, PING). */
    command(args: readonly string[]): Promise<string> {
        const encode = (parts: readonly string[]): string =>
            `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join("")}`;
        return new Promise((resolve, reject) => {
            const socket = net.connect(this.plainPort, "127.0.0.1");
            let data = "";
            socket.setTimeout(2000, () => socket.destroy(new Error("redis command timed out")));
            socket.on("error", reject);
            socket.on("data", (chunk) => {
                data += chunk.toString("utf8");
                // Two replies: +OK for AUTH, then the command's.
                const lines = data.split("\r\n");
                if (lines.length > 2) {
                    socket.end();
                    resolve(lines.slice(1).join("\r\n"));
                }
            });
            socket.write(encode(["AUTH", REDIS_PASSWORD]) + encode(args));
        });
    }

    async halt(): Promise<void> {
        await this.child?.stop("SIGTERM", 10_000);
        await sleep(50);
    }

    async stop(): Promise<void> {
        await this.halt();
    }
}
