/**
 * The transport-neutral request/response the handlers work on. The lean Node server and
 * Next's route handlers each adapt to these, so both paths run the same code and give
 * the same answers.
 */
import { Readable } from "node:stream";
import type { UpstreamResult, WatchClient } from "./upstream";
export interface ApiRequest {
    readonly method: string;
    /** What the access line, the metrics and error data say about this request; handlers fill it in. */
    readonly trace: RequestTrace;
    /** The query string, without the leading `?`. */
    readonly search: string;
    /** The declared Content-Length, when the client sent one. */
    readonly contentLength: number | undefined;
    readonly body: AsyncIterable<Uint8Array>;
    /** The request headers the API reads, by lower-case name. */
    readonly headers: ApiHeaders;
    /** See WatchClient; asked for only by calls that go upstream. */
    readonly watchClient?: WatchClient;
}

/** What a WatchClient returns when there is nothing to stop (the client had already gone). */
export const NOT_WATCHING = (): void => undefined;

/** A WatchClient for a request that carries an AbortSignal (a fetch Request's). */
export function watchSignal(signal: AbortSignal, cancel: () => void): () => void {
    if (signal.aborted) {
        cancel();
        return NOT_WATCHING;
    }
    signal.addEventListener("abort", cancel, { once: true });
    return () => signal.removeEventListener("abort", cancel);
}

export type ApiHeaders = Readonly<Partial<Record<"origin" | "accept-encoding" | "access-control-request-headers", string>>>;

/** Picks the headers the API reads from any header lookup (node:http or fetch `Headers`). */
export function apiHeaders(get: (name: string) => string | undefined): ApiHeaders {
    return {
        origin: get("origin"),
        "accept-encoding": get("accept-encoding"),
        "access-control-request-headers": get("access-control-request-headers"),
    };
}

export type CacheStatus = "HIT" | "MISS" | "BYPASS";

/** The upstream exchange of a request, when it had one. */
export interface UpstreamTiming {
    /** Host (and port) only: upstream URLs carry API keys in their paths. */
    readonly host: string;
    readonly ms: number;
    readonly outcome: UpstreamResult["kind"];
    readonly detail?: string;
}

/** Per-request facts gathered on the way through, for the access line and the metrics. */
export interface RequestTrace {
    readonly requestId: string;
    readonly clientRequestId?: string;
    /** The API path (without the query string). */
    readonly path: string;
    endpointId?: string;
    rpcMethods?: readonly string[];
    batchSize?: number;
    upstream?: UpstreamTiming;
    /** What went wrong, for 5xx answers the handler produced itself. */
    error?: string;
}

export function newTrace(path: string, ids: { readonly requestId: string; readonly clientRequestId?: string }): RequestTrace {
    return ids.clientRequestId === undefined ? { path, requestId: ids.requestId } : { path, requestId: ids.requestId, clientRequestId: ids.clientRequestId };
}

export interface ApiResponse {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    /** Empty for 204; bytes when compressed. */
    readonly body: string | Uint8Array<ArrayBuffer>;
    /** Set when the request body was left unread: the connection cannot be reused. */
    readonly closeConnection?: boolean;
}

export const JSON_TYPE = "application/json; charset=utf-8";

/**
 * `{ ...headers, ...extra }`, built with Object.assign: on these header objects an object
 * spread takes V8's slow clone path, 1.1–1.6 µs per copy against 0.2 µs (in process,
 * BENCHMARKS.md run 11), and a cache hit made two such copies.
 */
export function mergeHeaders(headers: Readonly<Record<string, string>>, extra: Readonly<Record<string, string>>): Record<string, string> {
    return Object.assign({}, headers, extra);
}

/** `response` with `extra` headers added (replacing any of the same name). */
export function withHeaders(response: ApiResponse, extra: Readonly<Record<string, string>>): ApiResponse {
    return Object.assign({}, response, { headers: mergeHeaders(response.headers, extra) });
}

/** The body's size on the wire, bytes. */
export function bodyBytes(body: ApiResponse["body"]): number {
    return typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
}

export function jsonResponse(
    status: number,
    body: string,
    instanceId: string,
    cache: CacheStatus,
    extra: Readonly<Record<string, string>> = {},
): ApiResponse {
    return {
        status,
        headers: {
            "content-type": JSON_TYPE,
            "cache-control": "no-store",
            "x-instance-id": instanceId,
            "x-cache": cache,
            // Browsers must not sniff an error body into HTML or script.
            "x-content-type-options": "nosniff",
            ...extra,
        },
        body,
    };
}

/** geth's default HTTP body limit (5 MiB); larger bodies get 413. RPC_MAX_BODY_BYTES overrides it. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Past the limit we keep reading (and discarding) up to this much more so the 413 reaches the client cleanly. */
const DRAIN_BEYOND_LIMIT_BYTES = 8 * 1024 * 1024;

export type BodyRead =
    | { readonly kind: "ok"; readonly text: string }
    | { readonly kind: "too-large"; readonly drained: boolean }
    /** The client disconnected (or the server's request timeout cut it) mid-body. */
    | { readonly kind: "aborted" };

const TOO_LARGE_UNDRAINED: BodyRead = { kind: "too-large", drained: false };
const ABORTED: BodyRead = { kind: "aborted" };

export async function readBody(req: ApiRequest, limit = DEFAULT_MAX_BODY_BYTES): Promise<BodyRead> {
    const collector = new BodyCollector(limit);
    if (req.contentLength !== undefined && req.contentLength > collector.drainLimit) {
        return TOO_LARGE_UNDRAINED;
    }
    // node:http's request: plain events. Its async iterator costs a promise and a read()
    // per chunk, which on a small JSON-RPC body was a fifth of the cache-hit path's time.
    return req.body instanceof Readable ? readStream(req.body, collector) : readIterable(req.body, collector);
}

/** Counts a body's bytes against the limit and keeps them while they are within it. */
class BodyCollector {
    readonly drainLimit: number;
    private readonly chunks: Uint8Array[] = [];
    private size = 0;

    constructor(private readonly limit: number) {
        this.drainLimit = limit + DRAIN_BEYOND_LIMIT_BYTES;
    }

    /** False once the body is past what we are willing to drain: stop reading. */
    add(chunk: Uint8Array): boolean {
        this.size += chunk.byteLength;
        if (this.size > this.drainLimit) {
            return false;
        }
        if (this.size <= this.limit) {
            this.chunks.push(chunk);
        }
        return true;
    }

    result(): BodyRead {
        if (this.size > this.limit) {
            return { kind: "too-large", drained: true };
        }
        const only = this.chunks.length === 1 ? this.chunks[0] : undefined;
        // One chunk (the usual small body) is decoded where it lies, without a copy.
        const bytes = only === undefined ? Buffer.concat(this.chunks) : Buffer.from(only.buffer, only.byteOffset, only.byteLength);
        return { kind: "ok", text: bytes.toString("utf8") };
    }
}

function readStream(stream: Readable, collector: BodyCollector): Promise<BodyRead> {
    if (stream.readableEnded) {
        return Promise.resolve(collector.result());
    }
    if (stream.destroyed) {
        return Promise.resolve(ABORTED);
    }
    return new Promise((resolve) => {
        const finish = (outcome: BodyRead): void => {
            stream.off("data", onData);
            stream.off("end", onEnd);
            stream.off("error", onGone);
            stream.off("close", onGone);
            resolve(outcome);
        };
        const onData = (chunk: Buffer): void => {
            if (!collector.add(chunk)) {
                finish(TOO_LARGE_UNDRAINED);
                // As the async iterator did on an early return: stop the upload here.
                stream.destroy();
            }
        };
        const onEnd = (): void => finish(collector.result());
        // A routine event, not a bug (the client disconnected, or the server's request
        // timeout cut it): the caller logs it throttled.
        const onGone = (): void => finish(ABORTED);
        stream.on("data", onData);
        stream.once("end", onEnd);
        stream.once("error", onGone);
        stream.once("close", onGone);
    });
}

async function readIterable(body: AsyncIterable<Uint8Array>, collector: BodyCollector): Promise<BodyRead> {
    try {
        for await (const chunk of body) {
            if (!collector.add(chunk)) {
                return TOO_LARGE_UNDRAINED;
            }
        }
    } catch {
        return ABORTED;
    }
    return collector.result();
}
