/**
 * Logging and metrics for one task: configures the logger (service, task, level),
 * resolves the ECS task id, and turns each answered API request into its access line
 * and its metric observation. The lean server and Next's route handlers both call
 * `observe` through runRoute, so both paths are measured the same way.
 */
import type { Pool } from "pg";
import { AccessLog, summarizeMethods } from "./access-log";
import type { ApiRequest, ApiResponse, CacheStatus } from "./api";
import type { AppConfig } from "./env";
import { configureLogging, log, setLogTask, writeMetricLine } from "./log";
import { Metrics } from "./metrics";
import { fallbackTaskId, fetchTaskId } from "./task-id";

/** Only gateway traffic is counted in the metrics: ALB health checks would inflate Requests. */
export const METERED_PATH = "/api/gateway";

export interface Observability {
    readonly access: AccessLog;
    readonly metrics: Metrics;
    /** The task id now in use (the host name until the ECS metadata endpoint answers). */
    task(): string;
    observe(req: ApiRequest, out: ApiResponse, ms: number): void;
    /** Writes the last access summary and the last metrics interval. */
    close(): void;
}

function cacheStatus(value: string | undefined): CacheStatus | undefined {
    return value === "HIT" || value === "MISS" || value === "BYPASS" ? value : undefined;
}

function roundMs(ms: number): number {
    return Math.round(ms * 100) / 100;
}

export function createObservability(config: AppConfig, pool: Pick<Pool, "totalCount" | "idleCount" | "waitingCount">): Observability {
    const o = config.observability;
    let task = fallbackTaskId();
    configureLogging(o.logLevel, { service: o.service, task });
    const access = new AccessLog(o.accessLogMaxPerS, log);
    const metrics = new Metrics(
        { service: o.service, task },
        () => ({
            open: pool.totalCount,
            inUse: pool.totalCount - pool.idleCount,
            waiting: pool.waitingCount,
            max: config.pg.poolMax,
        }),
        writeMetricLine,
    );
    metrics.start(o.metricsFlushS * 1000);
    // Off means off: nothing is collected that would never be written.
    const metering = o.metricsFlushS > 0;
    const accessLogging = o.logLevel !== "silent";
    if (o.ecsMetadataUri !== undefined) {
        void fetchTaskId(o.ecsMetadataUri).then((id) => {
            if (id === undefined) {
                log("warn", "could not read the task id from ECS_CONTAINER_METADATA_URI_V4; using the host name", { task });
                return;
            }
            task = id;
            setLogTask(id);
            metrics.setTask(id);
        });
    }

    return {
        access,
        metrics,
        task: () => task,
        observe(req, out, ms) {
            const t = req.trace;
            const cache = cacheStatus(out.headers["x-cache"]);
            if (metering && t.path === METERED_PATH) {
                metrics.record({
                    status: out.status,
                    ms,
                    cache,
                    upstream: t.upstream === undefined ? undefined : { host: t.upstream.host, outcome: t.upstream.outcome },
                });
            }
            if (!accessLogging) {
                return;
            }
            access.record({
                requestId: t.requestId,
                clientRequestId: t.clientRequestId,
                method: req.method,
                path: t.path,
                status: out.status,
                ms: roundMs(ms),
                endpoint: t.endpointId,
                rpcMethods: t.rpcMethods === undefined ? undefined : summarizeMethods(t.rpcMethods),
                batchSize: t.batchSize,
                cache: t.path === METERED_PATH ? cache : undefined,
                upstreamHost: t.upstream?.host,
                upstreamMs: t.upstream === undefined ? undefined : roundMs(t.upstream.ms),
                upstreamOutcome: t.upstream?.outcome,
                error: t.error ?? (t.upstream !== undefined && t.upstream.outcome !== "ok" ? t.upstream.detail : undefined),
            });
        },
        close() {
            access.flush();
            metrics.stop();
        },
    };
}
