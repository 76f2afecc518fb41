/**
 * GET /api/health (liveness: no I/O, so a slow database never gets a task killed) and
 * GET /api/ready (readiness: Redis and Postgres answer within READY_TIMEOUT_MS).
 */
import { type ApiResponse, jsonResponse } from "./api";
import type { Runtime } from "./runtime";

export function handleHealth(rt: Runtime): ApiResponse {
    const body = {
        status: "ok",
        instanceId: rt.instanceId,
        version: rt.version,
        uptimeSeconds: Math.round(process.uptime()),
    };
    return jsonResponse(200, JSON.stringify(body), rt.instanceId, "BYPASS");
}

type Check = "ok" | "failed" | "timeout";

export async function handleReady(rt: Runtime): Promise<ApiResponse> {
    if (rt.draining) {
        return jsonResponse(503, JSON.stringify({ status: "draining", instanceId: rt.instanceId }), rt.instanceId, "BYPASS");
    }
    const timeout = rt.config.readyTimeoutMs;
    const [redis, postgres] = await Promise.all([
        within(timeout, () => rt.cache.ping()),
        within(timeout, async () => {
            await rt.pool.query("SELECT 1");
            if (!(await rt.schema.ensure())) {
                throw new Error("schema not ready");
            }
        }),
    ]);
    const ok = redis === "ok" && postgres === "ok";
    // The pool this task may really open (lib/pool-guard.ts), next to what was planned.
    const body = { status: ok ? "ready" : "not ready", instanceId: rt.instanceId, checks: { redis, postgres }, pool: rt.poolGuard.state };
    return jsonResponse(ok ? 200 : 503, JSON.stringify(body), rt.instanceId, "BYPASS");
}

function within(ms: number, work: () => Promise<void>): Promise<Check> {
    return new Promise((resolve) => {
        const timer = setTimeout(() => resolve("timeout"), ms);
        work().then(
            () => resolve("ok"),
            () => resolve("failed"),
        ).finally(() => clearTimeout(timer));
    });
}
