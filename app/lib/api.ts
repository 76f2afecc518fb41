/**
 * The transport-neutral request/response the handlers work on. The lean Node server and
 * Next's route handlers each adapt to these, so both paths run the same code and give
 * the same answers.
 */
export interface ApiRequest {
    readonly method: string;
    /** What the access line, the metrics and error data say about this request; handlers fill it in. */
    readonly trace: RequestTrace;
    /** The query string, without the leading `?`. */
    readonly search: string;
    /** The declared Content-Length, when the client sent one. */
    readonly contentLength: number | undefined;
    readonly body: AsyncIterable<Uint8Array>;
}

export type CacheStatus = "HIT" | "MISS" | "BYPASS";

/** The upstream exchange of a request, when it had one. */
export interface UpstreamTiming {
    /** Host (and port) only: upstream URLs carry API keys in their paths. */
    readonly host: string;
    readonly ms: number;
    readonly outcome: "ok" | "timeout" | "unavailable";
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
    /** Empty for 204. */
    readonly body: string;
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
            ...extra,
        },
        body,
    };
}

/** The JSON-RPC spec's limit for this gateway; larger bodies get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past the limit we keep reading (and discarding) this much so the 413 reaches the client cleanly. */
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

export type BodyRead =
    | { readonly kind: "ok"; readonly text: string }
    | { readonly kind: "too-large"; readonly drained: boolean };

export async function readBody(req: ApiRequest, limit = MAX_BODY_BYTES): Promise<BodyRead> {
    if (req.contentLength !== undefined && req.contentLength > MAX_DRAIN_BYTES) {
        return { kind: "too-large", drained: false };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of req.body) {
        size += chunk.byteLength;
        if (size > MAX_DRAIN_BYTES) {
            return { kind: "too-large", drained: false };
        }
        if (size <= limit) {
            chunks.push(chunk);
        }
    }
    if (size > limit) {
        return { kind: "too-large", drained: true };
    }
    return { kind: "ok", text: Buffer.concat(chunks).toString("utf8") };
}
