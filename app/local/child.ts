import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";

/** A child process whose output is kept for assertions and failure messages. */
export class Child {
    output = "";
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
        const keep = (chunk: Buffer): void => {
            // Bounded: a chatty child must not eat the test's memory.
            this.output = (this.output + chunk.toString("utf8")).slice(-2_000_000);
        };
        this.proc.stdout?.on("data", keep);
        this.proc.stderr?.on("data", keep);
        this.exited = new Promise((resolve) => {
            this.proc.on("exit", (code) => {
                this.exitCode = code;
                resolve(code);
            });
            this.proc.on("error", (error) => {
                this.output += `\nspawn error: ${error.message}`;
                this.exitCode = null;
                resolve(null);
            });
        });
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
