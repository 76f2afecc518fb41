/**
 * Answers a list of validated calls: cacheable ones from the shared cache when
 * possible, the rest in one upstream request. Ids are rewritten to their index on the
 * way up, so duplicate or odd client ids can never mix up whose answer is whose.
 */
import type { CacheStatus } from "./api";
import { responseCacheKey } from "./cache-policy";
import { type BatchItem, type JsonRpcId, type RpcCall, RpcCode, rpcError } from "./jsonrpc";
import type { SharedCache } from "./shared-cache";
import type { UpstreamClient, UpstreamResult } from "./upstream";

export interface ForwardDeps {
    readonly endpointId: string;
    readonly url: URL;
    readonly cacheTtls: ReadonlyMap<string, number>;
    readonly cache: SharedCache;
    readonly upstream: Pick<UpstreamClient, "post">;
    /** Put in the `data` of every error this gateway answers a call with. */
    readonly requestId?: string;
}

export interface ForwardOutcome {
    /** One JSON text per item, in order; `undefined` for notifications. */
    readonly outputs: readonly (string | undefined)[];
    readonly status: number;
    readonly cache: CacheStatus;
}

interface Cacheable {
    readonly index: number;
    readonly key: string;
    readonly ttl: number;
}

export async function forwardCalls(items: readonly BatchItem[], deps: ForwardDeps): Promise<ForwardOutcome> {
    const outputs: (string | undefined)[] = items.map((item) =>
        item.kind === "invalid" ? JSON.stringify(rpcError(item.id, RpcCode.InvalidRequest, item.message, deps.requestId)) : undefined,
    );
    const cacheable = findCacheable(items, deps);
    const cached = await deps.cache.getMany(cacheable.map((c) => c.key));
    let hits = 0;
    if (cached !== undefined) {
        cacheable.forEach((c, i) => {
            const value = cached[i];
            const item = items[c.index];
            if (value !== null && value !== undefined && item.kind === "call") {
                outputs[c.index] = resultText(item.call.id, value);
                hits += 1;
            }
        });
    }

    const toForward: number[] = [];
    items.forEach((item, index) => {
        if (item.kind === "call" && outputs[index] === undefined) {
            toForward.push(index);
        }
    });
    const cache: CacheStatus =
        cacheable.length === 0 || cached === undefined ? "BYPASS" : hits === cacheable.length && toForward.length === 0 ? "HIT" : "MISS";
    if (toForward.length === 0) {
        return { outputs, status: 200, cache };
    }

    const calls = toForward.map((index) => callAt(items, index));
    const payload = calls.map((call, i) => upstreamCall(call, toForward[i]));
    const result = await deps.upstream.post(deps.url, JSON.stringify(payload.length === 1 ? payload[0] : payload));
    const status = answerFromUpstream(result, toForward, items, outputs, deps.requestId);
    if (result.kind === "ok") {
        storeResults(cacheable, outputs, result.body, deps.cache);
    }
    return { outputs, status, cache };
}

function findCacheable(items: readonly BatchItem[], deps: ForwardDeps): Cacheable[] {
    const found: Cacheable[] = [];
    items.forEach((item, index) => {
        if (item.kind !== "call" || item.call.notification) {
            return;
        }
        const ttl = deps.cacheTtls.get(item.call.method);
        if (ttl !== undefined) {
            found.push({ index, key: responseCacheKey(deps.endpointId, item.call.method, item.call.params), ttl });
        }
    });
    return found;
}

function callAt(items: readonly BatchItem[], index: number): RpcCall {
    const item = items[index];
    if (item.kind !== "call") {
        throw new Error(`item ${index} is not a call`);
    }
    return item.call;
}

function upstreamCall(call: RpcCall, index: number): Record<string, unknown> {
    const out: Record<string, unknown> = { jsonrpc: "2.0", method: call.method };
    if (call.hasParams) {
        out.params = call.params;
    }
    if (!call.notification) {
        out.id = index;
    }
    return out;
}

/** Cached values are the `result` JSON text, so a hit is built without parsing it. */
function resultText(id: JsonRpcId, resultJson: string): string {
    return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${resultJson}}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Fills outputs for forwarded calls; returns the HTTP status. */
function answerFromUpstream(
    result: UpstreamResult,
    forwarded: readonly number[],
    items: readonly BatchItem[],
    outputs: (string | undefined)[],
    requestId: string | undefined,
): number {
    if (result.kind !== "ok") {
        const [status, code, message] =
            result.kind === "timeout"
                ? [504, RpcCode.UpstreamTimeout, "Upstream timed out"]
                : [502, RpcCode.UpstreamUnavailable, `Upstream unavailable: ${result.detail}`];
        for (const index of forwarded) {
            const call = callAt(items, index);
            if (!call.notification) {
                outputs[index] = JSON.stringify(rpcError(call.id, code, message, requestId));
            }
        }
        return status;
    }
    const byId = new Map<number, Record<string, unknown>>();
    for (const response of Array.isArray(result.body) ? result.body : [result.body]) {
        if (isRecord(response) && typeof response.id === "number") {
            byId.set(response.id, response);
        }
    }
    let status = 200;
    for (const index of forwarded) {
        const call = callAt(items, index);
        if (call.notification) {
            continue;
        }
        const response = byId.get(index);
        if (response !== undefined && ("result" in response || isRecord(response.error))) {
            outputs[index] = JSON.stringify(
                "result" in response
                    ? { jsonrpc: "2.0", id: call.id, result: response.result }
                    : { jsonrpc: "2.0", id: call.id, error: response.error },
            );
        } else {
            status = 502;
            outputs[index] = JSON.stringify(rpcError(call.id, RpcCode.UpstreamUnavailable, "Upstream returned no valid response for this call", requestId));
        }
    }
    return status;
}

/** Only successful, non-null results are shared: errors and "not yet" answers are not facts. */
function storeResults(cacheable: readonly Cacheable[], outputs: readonly (string | undefined)[], body: unknown, cache: SharedCache): void {
    const byId = new Map<number, unknown>();
    for (const response of Array.isArray(body) ? body : [body]) {
        if (isRecord(response) && typeof response.id === "number" && "result" in response && response.result !== null) {
            byId.set(response.id, response.result);
        }
    }
    for (const c of cacheable) {
        const value = byId.get(c.index);
        if (value !== undefined && outputs[c.index] !== undefined) {
            cache.set(c.key, JSON.stringify(value), c.ttl);
        }
    }
}
