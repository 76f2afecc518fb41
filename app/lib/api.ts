/**
 * The transport-neutral request/response the handlers work on. The lean Node server and
 * Next's route handlers each adapt to these, so both paths run the same code and give
 * the same answers.
 */
import type { UpstreamResult } from "./upstream";
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
    /** Aborted when the client disconnects before its answer is written. */
    readonly signal?: AbortSignal;
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

export async function readBody(req: ApiRequest, limit = DEFAULT_MAX_BODY_BYTES): Promise<BodyRead> {
    const drainLimit = limit + DRAIN_BEYOND_LIMIT_BYTES;
    if (req.contentLength !== undefined && req.contentLength > drainLimit) {
        return { kind: "too-large", drained: false };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
        for await (const chunk of req.body) {
            size += chunk.byteLength;
            if (size > drainLimit) {
                return { kind: "too-large", drained: false };
            }
            if (size <= limit) {
                chunks.push(chunk);
            }
        }
    } catch {
        // A routine event, not a bug: the caller logs it throttled.
        return { kind: "aborted" };
    }
    if (size > limit) {
        return { kind: "too-large", drained: true };
    }
    return { kind: "ok", text: Buffer.concat(chunks).toString("utf8") };
}
