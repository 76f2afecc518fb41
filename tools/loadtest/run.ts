/**
 * An open-model, fixed-arrival-rate load generator on node:http(s).
 *
 * Why not autocannon's `overallRate`: autocannon gives each connection a share of the
 * rate and a connection sends its next request only after the previous answer, so a
 * stalled server also stalls the sender and the requests it did not send never record
 * their wait ("coordinated omission"). Here request i is due at start + i / rps whatever
 * happened before, and its latency is measured from that due time, not from when a
 * socket became free. That is what users arriving independently experience.
 *
 * Every run is bounded: a fixed number of requests, each failed after `timeoutMs` from
 * its due time, so the run ends by itself at most `timeoutMs` after the last one is due.
 */
import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";

export interface RunConfig {
    /** Where requests go: the full gateway URL, `?endpoint=` included. */
    readonly target: URL;
    /** Fixed arrival rate, requests per second (open model). */
    readonly rps: number;
    /** How long requests are started for, after warm-up. */
    readonly durationMs: number;
    /** Requests sent before measuring starts (connections opened, JITs warmed); not counted. */
    readonly warmupMs: number;
    /** A request not answered this long after its due time counts as an error. */
    readonly timeoutMs: number;
    /** Upper bound on sockets to the target; requests beyond it queue (and that wait counts). */
    readonly connections: number;
    /** HTTP method (default POST). A GET sends no body. */
    readonly method?: "GET" | "POST";
    /**
     * Request body, sent with `content-type: application/json`: one string for every
     * request, or one per request index (the benchmark's cache-miss path needs unique keys).
     */
    readonly body: string | ((index: number) => string);
    /** The header naming the instance that answered; counted per value. */
    readonly instanceHeader?: string;
    /**
     * Parse answers for JSON-RPC `error` members (default true). The benchmark turns it
     * off: it checks each path's answer once up front, and at thousands of requests per
     * second the parsing would cost the sender CPU the measured server should not pay for.
     */
    readonly checkRpcErrors?: boolean;
}

/** What one measured request ended as: an HTTP status, or a transport failure. */
export type Outcome = { readonly status: number; readonly rpcError: boolean } | { readonly failure: string };

export interface RunResult {
    /** Measured requests scheduled (warm-up excluded). */
    readonly scheduled: number;
    /** Latency of every measured request that got an HTTP answer, ms from its due time. */
    readonly latenciesMs: Float64Array;
    /** Outcome counts keyed by "200", "500", "rpc-error", "timeout", "ECONNREFUSED", … */
    readonly outcomes: ReadonlyMap<string, number>;
    /** Measured requests that failed: transport failure, timeout, HTTP ≥ 400 or a JSON-RPC error. */
    readonly errors: number;
    /** Answers per `x-instance-id` value; "(none)" when the header was missing. */
    readonly instances: ReadonlyMap<string, number>;
    /** Wall time from the first measured due time to the last answer. */
    readonly elapsedMs: number;
    /** How far behind its schedule the sender ever fell (its own event-loop lag). */
    readonly maxSendLagMs: number;
}

export const INSTANCE_HEADER = "x-instance-id";

/** Scheduler tick: due requests are started in batches every tick. */
const TICK_MS = 1;

export function jsonRpcBody(method: string): string {
    return JSON.stringify({ jsonrpc: "2.0", method, params: [], id: 1 });
}

export async function runLoad(config: RunConfig): Promise<RunResult> {
    const isHttps = config.target.protocol === "https:";
    const agentOptions = { keepAlive: true, maxSockets: config.connections, maxFreeSockets: config.connections };
    const agent = isHttps ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    const request = isHttps ? https.request : http.request;
    const instanceHeader = (config.instanceHeader ?? INSTANCE_HEADER).toLowerCase();
    const method = config.method ?? "POST";
    const checkRpc = config.checkRpcErrors ?? true;
    const fixedBody = typeof config.body === "string" ? Buffer.from(config.body) : null;
    const bodyFor = (index: number): Buffer | null => {
        if (method === "GET") return null;
        return fixedBody ?? Buffer.from(typeof config.body === "function" ? config.body(index) : config.body);
    };

    const intervalMs = 1000 / config.rps;
    const warmupCount = Math.round((config.warmupMs / 1000) * config.rps);
    const measuredCount = Math.max(1, Math.round((config.durationMs / 1000) * config.rps));
    const total = warmupCount + measuredCount;

    const latencies = new Float64Array(measuredCount);
    let latencyCount = 0;
    const outcomes = new Map<string, number>();
    const instances = new Map<string, number>();
    let errors = 0;
    let lastAnswerAt = 0;
    let maxSendLagMs = 0;
    let settled = 0;

    const bump = (map: Map<string, number>, key: string): void => {
        map.set(key, (map.get(key) ?? 0) + 1);
    };

    const start = performance.now();
    const measuredStart = start + warmupCount * intervalMs;

    return new Promise<RunResult>((resolve) => {
        const finish = (): void => {
            agent.destroy();
            resolve({
                scheduled: measuredCount,
                latenciesMs: latencies.slice(0, latencyCount),
                outcomes,
                errors,
                instances,
                elapsedMs: Math.max(0, lastAnswerAt - measuredStart),
                maxSendLagMs,
            });
        };

        const record = (index: number, dueAt: number, outcome: Outcome, instance: string | null): void => {
            settled++;
            if (index >= warmupCount) {
                const now = performance.now();
                lastAnswerAt = Math.max(lastAnswerAt, now);
                if ("failure" in outcome) {
                    errors++;
                    bump(outcomes, outcome.failure);
                } else {
                    latencies[latencyCount++] = now - dueAt;
                    if (outcome.rpcError && outcome.status < 400) {
                        bump(outcomes, "rpc-error");
                    } else {
                        bump(outcomes, String(outcome.status));
                    }
                    if (outcome.status >= 400 || outcome.rpcError) {
                        errors++;
                    }
                    bump(instances, instance ?? "(none)");
                }
            }
            if (settled === total) {
                finish();
            }
        };

        const fire = (index: number, dueAt: number): void => {
            let done = false;
            const once = (outcome: Outcome, instance: string | null): void => {
                if (!done) {
                    done = true;
                    clearTimeout(timer);
                    record(index, dueAt, outcome, instance);
                }
            };
            const body = bodyFor(index);
            const headers: http.OutgoingHttpHeaders =
                body === null ? {} : { "content-type": "application/json", "content-length": String(body.length) };
            const req = request(config.target, { method, agent, headers }, (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (chunk: Buffer) => chunks.push(chunk));
                res.on("end", () => {
                    const status = res.statusCode ?? 0;
                    const header = res.headers[instanceHeader];
                    const instance = typeof header === "string" ? header : null;
                    once({ status, rpcError: checkRpc && hasRpcError(Buffer.concat(chunks)) }, instance);
                });
                res.on("error", (err: NodeJS.ErrnoException) => once({ failure: err.code ?? "response-error" }, null));
            });
            // The deadline counts from the due time, so time spent queued for a socket counts.
            const remaining = Math.max(0, config.timeoutMs - (performance.now() - dueAt));
            const timer = setTimeout(() => {
                once({ failure: "timeout" }, null);
                req.destroy();
            }, remaining);
            req.on("error", (err: NodeJS.ErrnoException) => once({ failure: err.code ?? "request-error" }, null));
            req.end(body ?? undefined);
        };

        let next = 0;
        const tick = (): void => {
            const now = performance.now();
            const due = Math.min(total, Math.floor((now - start) / intervalMs) + 1);
            while (next < due) {
                const dueAt = start + next * intervalMs;
                maxSendLagMs = Math.max(maxSendLagMs, now - dueAt);
                fire(next, dueAt);
                next++;
            }
            if (next < total) {
                setTimeout(tick, TICK_MS);
            }
        };
        tick();
    });
}

/**
 * A JSON-RPC answer can be HTTP 200 and still an error (`{"error": {...}}`). Only small
 * bodies are parsed: gateway answers are a few hundred bytes, and parsing a large one at
 * thousands per second would make the sender, not the server, the bottleneck.
 */
export function hasRpcError(body: Buffer): boolean {
    if (body.length === 0 || body.length > 64 * 1024) {
        return false;
    }
    try {
        const parsed: unknown = JSON.parse(body.toString("utf8"));
        const one = (item: unknown): boolean => typeof item === "object" && item !== null && "error" in item;
        return Array.isArray(parsed) ? parsed.some(one) : one(parsed);
    } catch {
        return false;
    }
}
