/**
 * Postgres, Redis and the upstream stub for the benchmark, from the app's own test
 * support (app/local): the same servers its tests run against, not a copy.
 * They are started from the benchmark process, so they inherit its CPU pinning (core 0).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { contractEnv } from "../../app/local/app";
import { addEndpoint, fixture, startFixture, stopFixture } from "../../app/local/fixture";
import { ROOT } from "./targets";

export interface Services {
    /** The fleet program's environment contract pointed at these servers (no PORT/HOSTNAME). */
    readonly env: Readonly<Record<string, string>>;
    /** An endpoint id registered in Postgres, pointing at the upstream stub. */
    readonly endpointId: string;
    /** The upstream stub's URL (the endpoint points at it). */
    readonly upstreamUrl: string;
    stop(): Promise<void>;
}

export async function startServices(): Promise<Services> {
    await startFixture();
    const f = fixture();
    const upstream = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "tools", "bench", "upstream-process.ts")], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
    });
    const upstreamUrl = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error("upstream stub did not start within 30 s")), 30_000);
        upstream.stdout.on("data", (d: Buffer) => {
            out += d.toString();
            const line = out.split("\n")[0];
            if (out.includes("\n")) {
                clearTimeout(timer);
                resolve(line.trim());
            }
        });
        upstream.on("exit", (code) => reject(new Error(`upstream stub exited with ${code}`)));
    });
    const endpointId = `bench_${Date.now()}`;
    await addEndpoint(endpointId, upstreamUrl);
    const env = { ...contractEnv(f, 0) };
    delete env.PORT;
    delete env.HOSTNAME;
    return {
        env,
        endpointId,
        upstreamUrl,
        stop: async () => {
            upstream.kill("SIGTERM");
            await stopFixture();
        },
    };
}
