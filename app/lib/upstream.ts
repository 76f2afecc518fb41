/**
 * Forwards a JSON-RPC payload to an upstream with undici: a keep-alive connection pool
 * per upstream origin, a hard deadline for the whole exchange (queueing included),
 * cancellation when the client goes away, and a cap on the size of the answer.
 *
 * Why undici rather than node:http's Agent: per-request AbortSignal that also removes a
 * queued request, header and body timeouts and a response-size limit enforced while
 * reading (a 20 MB answer is cut at the cap, not buffered), and a pool per origin whose
 * `connections` bounds sockets per host — the pieces this file used to hand-roll.
 *
 * Fairness: undici's pool is per origin, so many endpoints on one provider host share
 * it. A per-endpoint limit (UPSTREAM_ENDPOINT_CONCURRENCY) below the pool size keeps one
 * hanging endpoint from holding every socket of its host; its excess calls wait (within
 * their deadline) for a slot of their own endpoint, never for another endpoint's.
 *
 * Never throws. Failure details go to the server log (throttled per endpoint and kind);
 * the caller only sees the kind, which it maps to a stable JSON-RPC error.
 */
import { Agent } from "undici";
import { jsonDepthExceeds } from "./json-depth";
import { errorMessage, logThrottled } from "./log";

export type UpstreamResult =
    | { readonly kind: "ok"; readonly body: unknown }
    | { readonly kind: "timeout" }
    | { readonly kind: "too-large" }
    /** The client went away first: nobody is waiting for an answer. */
    | { readonly kind: "aborted" }
    | { readonly kind: "unavailable"; readonly detail: string };

export interface UpstreamSettings {
    /** Deadline for one call, from the moment it is asked for (waiting for a slot included). */
    readonly timeoutMs: number;
    /** Sockets per upstream origin (host:port). */
    readonly connectionsPerOrigin: number;
    /** Calls one endpoint may have in flight at once; must be below `connectionsPerOrigin`. */
    readonly endpointConcurrency: number;
    /** Upstream answers larger than this are refused (the client gets a JSON-RPC error). */
    readonly maxResponseBytes: number;
}

/**
 * Calls `cancel` once if the client disconnects before its answer is written (at once if
 * it already has); returns a function that stops watching.
 */
export type WatchClient = (cancel: () => void) => () => void;

export interface PostOptions {
    /** Whose calls these are: the per-endpoint concurrency limit and the log are keyed by it. */
    readonly endpointId: string;
    /** Watches the client: when it disconnects, the upstream request is cancelled. */
    readonly watchClient?: WatchClient;
}

/** Upstream answers nested deeper than this are refused: re-serialising them could overflow the stack. */
export const MAX_UPSTREAM_JSON_DEPTH = 512;

const TIMEOUT = Symbol("upstream deadline");
const CLIENT_GONE = Symbol("client went away");

export class UpstreamClient {
    private readonly agent: Agent;
    private readonly limiter: KeyedLimiter;

    constructor(private readonly settings: UpstreamSettings) {
        this.agent = new Agent({
            // Reusing connections matters: a TLS handshake per call costs more than the call.
            connections: settings.connectionsPerOrigin,
            pipelining: 1,
            keepAliveTimeout: 10_000,
            headersTimeout: settings.timeoutMs,
            bodyTimeout: settings.timeoutMs,
            maxResponseSize: settings.maxResponseBytes,
            connect: { timeout: Math.min(settings.timeoutMs, 5000) },
        });
        this.limiter = new KeyedLimiter(settings.endpointConcurrency);
    }

    async post(url: URL, payload: string, options: PostOptions): Promise<UpstreamResult> {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(TIMEOUT), this.settings.timeoutMs);
        const stopWatching = options.watchClient?.(() => controller.abort(CLIENT_GONE));
        const signal = controller.signal;
        let acquired = false;
        try {
            acquired = this.limiter.tryAcquire(options.endpointId) || (await this.limiter.acquire(options.endpointId, signal));
            if (!acquired) {
                return this.failed(signal, undefined, url, options.endpointId);
            }
            const { statusCode, body } = await this.agent.request({
                origin: url.origin,
                path: `${url.pathname}${url.search}`,
                method: "POST",
                headers: { "content-type": "application/json", accept: "application/json" },
                body: payload,
                signal,
            });
            if (statusCode < 200 || statusCode > 299) {
                await body.dump().catch(() => undefined);
                return this.unavailable(url, options.endpointId, `upstream answered HTTP ${statusCode}`);
            }
            const text = await body.text();
            return this.parse(text, url, options.endpointId);
        } catch (error) {
            return this.failed(signal, error, url, options.endpointId);
        } finally {
            clearTimeout(timer);
            stopWatching?.();
            if (acquired) {
                this.limiter.release(options.endpointId);
            }
        }
    }

    close(): Promise<void> {
        return this.agent.destroy();
    }

    private failed(signal: AbortSignal, error: unknown, url: URL, endpointId: string): UpstreamResult {
        if (signal.aborted && signal.reason === CLIENT_GONE) {
            // Routine (a client timed out or gave up): not a fault of ours or the upstream's.
            logThrottled("upstream-client-gone", "info", "client went away before the upstream answered; upstream call cancelled", {});
            return { kind: "aborted" };
        }
        const code = errorCode(error);
        if ((signal.aborted && signal.reason === TIMEOUT) || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
            this.report(url, endpointId, "timeout", `no complete answer within ${this.settings.timeoutMs} ms`);
            return { kind: "timeout" };
        }
        if (code === "UND_ERR_RES_EXCEEDED_MAX_SIZE") {
            this.report(url, endpointId, "too-large", `answer exceeds UPSTREAM_MAX_RESPONSE_BYTES (${this.settings.maxResponseBytes})`);
            return { kind: "too-large" };
        }
        return this.unavailable(url, endpointId, code === undefined ? errorMessage(error) : `${code}: ${errorMessage(error)}`);
    }

    private unavailable(url: URL, endpointId: string, detail: string): UpstreamResult {
        this.report(url, endpointId, "unavailable", detail);
        return { kind: "unavailable", detail };
    }

    private parse(text: string, url: URL, endpointId: string): UpstreamResult {
        if (text.trim() === "") {
            // An upstream may answer a batch of notifications with an empty body.
            return { kind: "ok", body: undefined };
        }
        if (jsonDepthExceeds(text, MAX_UPSTREAM_JSON_DEPTH)) {
            return this.unavailable(url, endpointId, `upstream answer nested deeper than ${MAX_UPSTREAM_JSON_DEPTH} levels`);
        }
        try {
            return { kind: "ok", body: JSON.parse(text) };
        } catch {
            return this.unavailable(url, endpointId, "upstream answered with invalid JSON");
        }
    }

    /**
     * One line per endpoint and kind per 10 s, whatever the request rate. Only the
     * origin is logged: an upstream URL's path often carries the provider's API key.
     */
    private report(url: URL, endpointId: string, kind: string, detail: string): void {
        logThrottled(`upstream:${endpointId}:${kind}`, "warn", "upstream call failed", { endpointId, upstream: url.origin, kind, detail });
    }
}

function errorCode(error: unknown): string | undefined {
    if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") {
        return error.code;
    }
    return undefined;
}

/**
 * At most `limit` holders per key; the rest wait in FIFO order until a holder releases
 * or their signal aborts. Keys with no holder and no waiter are dropped, so the map only
 * holds endpoints with calls in flight.
 */
export class KeyedLimiter {
    private readonly slots = new Map<string, { active: number; readonly waiters: (() => void)[] }>();

    constructor(private readonly limit: number) {}

    tryAcquire(key: string): boolean {
        const slot = this.slots.get(key);
        if (slot === undefined) {
            this.slots.set(key, { active: 1, waiters: [] });
            return true;
        }
        if (slot.active < this.limit && slot.waiters.length === 0) {
            slot.active++;
            return true;
        }
        return false;
    }

    /** Resolves true once a slot is held, false if `signal` aborted first. */
    acquire(key: string, signal: AbortSignal): Promise<boolean> {
        if (this.tryAcquire(key)) {
            return Promise.resolve(true);
        }
        if (signal.aborted) {
            return Promise.resolve(false);
        }
        const slot = this.slots.get(key);
        if (slot === undefined) {
            return Promise.resolve(this.tryAcquire(key));
        }
        return new Promise((resolve) => {
            const grant = (): void => {
                signal.removeEventListener("abort", onAbort);
                resolve(true);
            };
            const onAbort = (): void => {
                const at = slot.waiters.indexOf(grant);
                if (at !== -1) {
                    slot.waiters.splice(at, 1);
                }
                resolve(false);
            };
            signal.addEventListener("abort", onAbort, { once: true });
            slot.waiters.push(grant);
        });
    }

    release(key: string): void {
        const slot = this.slots.get(key);
        if (slot === undefined) {
            return;
        }
        const next = slot.waiters.shift();
        if (next !== undefined) {
            next(); // the slot passes straight to the next waiter
            return;
        }
        slot.active--;
        if (slot.active <= 0) {
            this.slots.delete(key);
        }
    }

    /** Holders of `key` (for tests). */
    active(key: string): number {
        return this.slots.get(key)?.active ?? 0;
    }
}
