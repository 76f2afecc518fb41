/**
 * JSON-RPC 2.0 message shapes and validation (https://www.jsonrpc.org/specification).
 * Pure: no I/O, so every malformed shape is unit-tested without servers.
 */

export type JsonRpcId = string | number | null;

/** Codes this gateway answers with. -32000…-32099 are reserved for implementation errors. */
export const RpcCode = {
    ParseError: -32700,
    InvalidRequest: -32600,
    InternalError: -32603,
    EndpointNotFound: -32001,
    UpstreamUnavailable: -32002,
    UpstreamTimeout: -32003,
    ServiceUnavailable: -32004,
} as const;

export interface RpcCall {
    readonly method: string;
    /** Absent stays absent when forwarded (some upstreams reject `params: null`). */
    readonly params: unknown;
    readonly hasParams: boolean;
    readonly id: JsonRpcId;
    /** A call without an `id` member: forwarded, but answered with nothing. */
    readonly notification: boolean;
}

export type BatchItem =
    | { readonly kind: "call"; readonly call: RpcCall }
    | { readonly kind: "invalid"; readonly id: JsonRpcId; readonly message: string };

export type ParsedBody =
    | { readonly kind: "parse-error"; readonly message: string }
    | { readonly kind: "invalid"; readonly message: string }
    | { readonly kind: "single"; readonly item: BatchItem }
    | { readonly kind: "batch"; readonly items: readonly BatchItem[] };

/** Upstreams and clients both choke on huge batches; 1 MiB of body bounds it too. */
export const MAX_BATCH = 500;

export interface RpcErrorResponse {
    readonly jsonrpc: "2.0";
    readonly id: JsonRpcId;
    readonly error: { readonly code: number; readonly message: string; readonly data?: { readonly requestId: string } };
}

/** `requestId` goes into the error's `data`, so a client can quote it and an operator find the request's log lines. */
export function rpcError(id: JsonRpcId, code: number, message: string, requestId?: string): RpcErrorResponse {
    return requestId === undefined ? { jsonrpc: "2.0", id, error: { code, message } } : { jsonrpc: "2.0", id, error: { code, message, data: { requestId } } };
}

export function parseBody(text: string): ParsedBody {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return { kind: "parse-error", message: "Parse error: the body is not valid JSON" };
    }
    if (Array.isArray(value)) {
        if (value.length === 0) {
            return { kind: "invalid", message: "Invalid Request: empty batch" };
        }
        if (value.length > MAX_BATCH) {
            return { kind: "invalid", message: `Invalid Request: batch of ${value.length} calls exceeds ${MAX_BATCH}` };
        }
        return { kind: "batch", items: value.map(validateCall) };
    }
    const item = validateCall(value);
    return item.kind === "invalid" ? { kind: "invalid", message: item.message } : { kind: "single", item };
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is JsonRpcId {
    return value === null || typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

export function validateCall(value: unknown): BatchItem {
    if (!isRecord(value)) {
        return invalid(null, "a call must be a JSON object");
    }
    const hasId = Object.prototype.hasOwnProperty.call(value, "id");
    const id = hasId && isId(value.id) ? value.id : null;
    if (hasId && !isId(value.id)) {
        return invalid(null, "id must be a string, a number or null");
    }
    if (value.jsonrpc !== "2.0") {
        return invalid(id, 'jsonrpc must be exactly "2.0"');
    }
    if (typeof value.method !== "string" || value.method === "") {
        return invalid(id, "method must be a non-empty string");
    }
    const hasParams = Object.prototype.hasOwnProperty.call(value, "params");
    if (hasParams && !Array.isArray(value.params) && !isRecord(value.params)) {
        return invalid(id, "params must be an array or an object when present");
    }
    return {
        kind: "call",
        call: { method: value.method, params: value.params, hasParams, id, notification: !hasId },
    };
}

function invalid(id: JsonRpcId, detail: string): BatchItem {
    return { kind: "invalid", id, message: `Invalid Request: ${detail}` };
}
