/**
 * JSON-RPC 2.0 message shapes and validation (https://www.jsonrpc.org/specification).
 * Pure: no I/O, so every malformed shape is unit-tested without servers.
 */
import { jsonDepthExceeds } from "./json-depth";
import { rawIds, responseText } from "./rpc-ids";
import { isRecord } from "./is-record";

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
    UpstreamResponseTooLarge: -32005,
} as const;

export interface RpcCall {
    readonly method: string;
    /** Absent stays absent when forwarded (some upstreams reject `params: null`). */
    readonly params: unknown;
    readonly hasParams: boolean;
    readonly id: JsonRpcId;
    /** The id's JSON text exactly as the client wrote it (`null` when absent), echoed verbatim. */
    readonly rawId: string;
    /** A call without an `id` member: forwarded, but answered with nothing. */
    readonly notification: boolean;
    /**
     * The same object for every call the parse memo answers from one remembered text
     * (lib/parse-memo.ts): what later steps derive from `method` and `params` alone (the
     * cache key) can be kept once per text. Absent on calls parsed anew.
     */
    readonly template?: object;
}

export type BatchItem =
    | { readonly kind: "call"; readonly call: RpcCall }
    | { readonly kind: "invalid"; readonly rawId: string; readonly message: string };

export type ParsedBody =
    | { readonly kind: "parse-error"; readonly message: string }
    | { readonly kind: "invalid"; readonly message: string; readonly rawId: string }
    | { readonly kind: "single"; readonly item: BatchItem }
    | { readonly kind: "batch"; readonly items: readonly BatchItem[] };

/** geth's default BatchRequestLimit; viem's `batch: true` sends up to this many calls. */
export const DEFAULT_MAX_BATCH = 1000;

export interface RpcErrorResponse {
    readonly jsonrpc: "2.0";
    readonly id: JsonRpcId;
    readonly error: { readonly code: number; readonly message: string; readonly data?: { readonly requestId: string } };
}

/** `requestId` goes into the error's `data`, so a client can quote it and an operator find the request's log lines. */
export function rpcError(id: JsonRpcId, code: number, message: string, requestId?: string): RpcErrorResponse {
    return requestId === undefined ? { jsonrpc: "2.0", id, error: { code, message } } : { jsonrpc: "2.0", id, error: { code, message, data: { requestId } } };
}

/**
 * One error response as text, with the id written back as the client wrote it; the
 * request id (issue 11), when known, in `error.data` so a client can quote it.
 */
export function rpcErrorText(rawId: string, code: number, message: string, requestId?: string): string {
    return responseText(rawId, "error", JSON.stringify(requestId === undefined ? { code, message } : { code, message, data: { requestId } }));
}

/** Deeper requests are refused before parsing (no Ethereum method needs a tenth of this). */
export const MAX_JSON_DEPTH = 64;

export function parseBody(text: string, maxBatch = DEFAULT_MAX_BATCH): ParsedBody {
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
        return { kind: "invalid", rawId: "null", message: `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return { kind: "parse-error", message: "Parse error: the body is not valid JSON" };
    }
    if (Array.isArray(value)) {
        if (value.length === 0) {
            return { kind: "invalid", rawId: "null", message: "Invalid Request: empty batch" };
        }
        if (value.length > maxBatch) {
            return { kind: "invalid", rawId: "null", message: `Invalid Request: batch of ${value.length} calls exceeds ${maxBatch}` };
        }
        const raw = rawIds(text);
        return { kind: "batch", items: value.map((v, i) => validateCall(v, raw.kind === "batch" ? raw.ids[i] : undefined)) };
    }
    const raw = rawIds(text);
    const item = validateCall(value, raw.kind === "single" ? raw.id : undefined);
    return item.kind === "invalid" ? { kind: "invalid", message: item.message, rawId: item.rawId } : { kind: "single", item };
}


function isId(value: unknown): value is JsonRpcId {
    return value === null || typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

/**
 * `rawId` is the id's text as the client wrote it (see rpc-ids.ts); without it the id
 * is re-serialized, which loses digits past 2^53.
 */
export function validateCall(value: unknown, rawId?: string): BatchItem {
    if (!isRecord(value)) {
        return invalid("null", "a call must be a JSON object");
    }
    const hasId = Object.prototype.hasOwnProperty.call(value, "id");
    const id = hasId && isId(value.id) ? value.id : null;
    if (hasId && !isId(value.id)) {
        return invalid("null", "id must be a string, a number or null");
    }
    const idText = hasId ? (rawId ?? JSON.stringify(id)) : "null";
    if (value.jsonrpc !== "2.0") {
        return invalid(idText, 'jsonrpc must be exactly "2.0"');
    }
    if (typeof value.method !== "string" || value.method === "") {
        return invalid(idText, "method must be a non-empty string");
    }
    const hasParams = Object.prototype.hasOwnProperty.call(value, "params");
    if (hasParams && !Array.isArray(value.params) && !isRecord(value.params)) {
        return invalid(idText, "params must be an array or an object when present");
    }
    return {
        kind: "call",
        call: { method: value.method, params: value.params, hasParams, id, rawId: idText, notification: !hasId },
    };
}

function invalid(rawId: string, detail: string): BatchItem {
    return { kind: "invalid", rawId, message: `Invalid Request: ${detail}` };
}
