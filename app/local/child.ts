import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";

/** A child process whose output is kept for assertions and failure messages. */
export class Child {
    /** Kept as chunks and joined on read: re-copying a 2 MB string per chunk cost real CPU under chatty children. */
    private chunks: string[] = [];
    private size = 0;
    exitCode: number | null | undefined = undefined;
    readonly exited: Promise<number | null>;
    readonly proc: ChildProcess;

    /** `env` replaces the environment entirely (NODE_ENV production, as in the image). */
    constructor(cmd: string, args: readonly string[], options: Omit<SpawnOptions, "env"> & { env?: Record<string, string> }) {
        const { env, ...rest } = options;
        this.proc = spawn(cmd, args, {
            ...rest,
            ...(env === undefined ? {} : { env: { NODE_ENV: "production", ...env } }),
            stdio: ["ignore", "pipe", "pipe"],
        });
        const keep = (chunk: Buffer): void => this.append(chunk.toString("utf8"));
        this.proc.stdout?.on("data", keep);
        this.proc.stderr?.on("data", keep);
        this.exited = new Promise((resolve) => {
            this.proc.on("exit", (code) => {
                this.exitCode = code;
                resolve(code);
            });
            this.proc.on("error", (error) => {
                this.append(`\nspawn error: ${error.message}`);
                this.exitCode = null;
                resolve(null);
            });
        });
    }

    /** Everything the child wrote (stdout and stderr), bounded to the last ~2 MB. */
    get output(): string {
        if (this.chunks.length > 1) {
            this.chunks = [this.chunks.join("")];
        }
        return this.chunks[0] ?? "";
    }

    private append(text: string): void {
        this.chunks.push(text);
        this.size += text.length;
        // Bounded: a chatty child must not eat the test's memory. Trim in batches, not per chunk.
        if (this.size > 4_000_000) {
            const kept = this.chunks.join("").slice(-2_000_000);
            this.chunks = [kept];
            this.size = kept.length;
        }
    }

    get running(): boolean {
        return this.exitCode === undefined;
    }

    /** Sends `signal`, waits up to `timeoutMs`, then SIGKILL. Resolves with the exit code. */
    async stop(signal: NodeJS.Signals = "SIGTERM", timeoutMs = 10_000): Promise<number | null> {
        if (!this.running) {
            return this.exitCode ?? null;
        }
        this.proc.kill(signal);
        const timer = setTimeout(() => this.proc.kill("SIGKILL"), timeoutMs);
        const code = await this.exited;
        clearTimeout(timer);
        return code;
    }

    tail(chars = 3000): string {
        return this.output.slice(-chars);
    }
}
