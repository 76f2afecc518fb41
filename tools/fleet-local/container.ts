/**
 * An instance as a container of the real image (`fleet:local --docker`): `docker run` in
 * the foreground, so the fleet owns it as a child process, on the host's network so it
 * listens on a loopback port and reaches the local PostgreSQL and Redis, with the same
 * environment contract as the process instances (app/local/app.ts). SIGTERM to the
 * `docker run` process reaches the container (signal proxying), as ECS stops a task.
 */
import { execFileSync } from "node:child_process";
import type { Servers } from "../../app/local/app";
import { Child } from "../../app/local/child";
import { request } from "../../app/local/http";
import { waitFor } from "../../app/local/ports";

/** The tag `npm run test:image` builds; `--image` picks another. */
export const DEFAULT_IMAGE = "webfleet-web:test";

/** Why containers cannot run here (no engine, no image), or null when they can. */
export function dockerProblem(image: string): string | null {
    try {
        execFileSync("docker", ["info", "--format", "{{.ServerVersion}}"], { stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 });
    } catch (error) {
        const stderr = typeof error === "object" && error !== null && "stderr" in error ? String(error.stderr).trim() : "";
        return (
            `--docker needs a Docker engine and none answers (\`docker info\`: ${stderr.split("\n")[0] || String(error)}). ` +
            "Start one with `npm run docker:engine`, or run without --docker."
        );
    }
    try {
        execFileSync("docker", ["image", "inspect", image], { stdio: "ignore", timeout: 10_000 });
    } catch {
        return `--docker: no image ${image} here. Build it with \`npm run test:image\` (tags ${DEFAULT_IMAGE}), or name one with --image.`;
    }
    return null;
}

export class ContainerInstance {
    private constructor(
        readonly child: Child,
        readonly containerName: string,
    ) {}

    static async start(servers: Servers, env: Record<string, string>, instanceId: string, image: string): Promise<ContainerInstance> {
        const name = `webfleet-fleet-${process.pid}-${instanceId}`;
        // A container of this name left by a killed `docker run` would hold the port.
        ContainerInstance.remove(name);
        const port = Number(env.PORT);
        // Loaded here, not at the top: app/local/app needs the app's dependencies (pg).
        const { contractEnv } = await import("../../app/local/app");
        const merged: Record<string, string> = { INSTANCE_ID: instanceId, SHUTDOWN_TIMEOUT_MS: "10000", ...contractEnv(servers, port), ...env };
        const args = ["run", "--rm", "--name", name, "--network", "host", ...Object.entries(merged).flatMap(([k, v]) => ["-e", `${k}=${v}`]), image];
        const child = new Child("docker", args, {});
        const instance = new ContainerInstance(child, name);
        await waitFor(`container ${name} to serve /api/health`, async () => {
            if (!child.running) {
                throw new Error(`container ${name} exited (${child.exitCode}): ${child.tail()}`);
            }
            return (await request(port, "GET", "/api/health", undefined, { agent: false, timeoutMs: 1000 })).status === 200;
        }, 90_000, 200);
        return instance;
    }

    static remove(name: string): void {
        try {
            execFileSync("docker", ["rm", "-f", name], { stdio: "ignore", timeout: 30_000 });
        } catch {
            // not there: nothing to remove
        }
    }

    async stop(): Promise<number | null> {
        const code = await this.child.stop("SIGTERM", 20_000);
        ContainerInstance.remove(this.containerName);
        return code;
    }
}
