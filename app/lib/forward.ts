/**
 * Answers a list of validated calls: cacheable ones from the shared cache when
 * possible, the rest in one upstream request. Ids are renumbered 1…n on the way up
 * (rpc-ids.ts), so duplicate or odd client ids can never mix up whose answer is whose,
 * and the client's own id text is written back on the way down. Upstream JSON-RPC
 * errors pass through unchanged (code, message, data) with HTTP 200, as nodes answer.
 */
import type { CacheStatus } from "./api";
import { responseCacheKey } from "./cache-policy";
import { type BatchItem, type RpcCall, RpcCode, rpcErrorText } from "./jsonrpc";
import { responseText, upstreamId } from "./rpc-ids";
import type { CachedAnswers, ResponseStore } from "./response-cache";
import { type UpstreamAnswer, matchUpstreamAnswers } from "./upstream-answers";
import type { UpstreamClient, UpstreamResult, WatchClient } from "./upstream";

export interface ForwardDeps {
    readonly endpointId: string;
    readonly url: URL;
    readonly cacheTtls: ReadonlyMap<string, number>;
    readonly cache: ResponseStore;
    readonly upstream: Pick<UpstreamClient, "post">;
    /** Cancels the upstream call when the client disconnects. */
    readonly watchClient?: WatchClient;
    /** Put in the `data` of the gateway's own errors, so a client can quote it (issue 11). */
    readonly requestId?: string;
}

export interface ForwardOutcome {
    /** One JSON text per item, in order; `undefined` for notifications. */
    readonly outputs: readonly (string | undefined)[];
    readonly status: number;
    readonly cache: CacheStatus;
}

/** An upstream answer with its value's JSON text. */
type AnsweredCall = UpstreamAnswer & { readonly json: string };

interface Cacheable {
    readonly index: number;
    readonly key: string;
    readonly ttl: number;
}

/**
 * Answers the calls. Synchronous when this task's memo holds every answer: a cache hit
 * then takes no trip through the microtask queue.
 */
export function forwardCalls(items: readonly BatchItem[], deps: ForwardDeps): ForwardOutcome | Promise<ForwardOutcome> {
    const cacheable = findCacheable(items, deps);
    const cached = deps.cache.getMany(cacheable.map((c) => c.key));
    return cached instanceof Promise ? cached.then((c) => answerFrom(items, deps, cacheable, c)) : answerFrom(items, deps, cacheable, cached);
}

function answerFrom(
    items: readonly BatchItem[],
    deps: ForwardDeps,
    cacheable: readonly Cacheable[],
    cached: CachedAnswers,
): ForwardOutcome | Promise<ForwardOutcome> {
    const outputs: (string | undefined)[] = items.map((item) =>
        item.kind === "invalid" ? rpcErrorText(item.rawId, RpcCode.InvalidRequest, item.message, deps.requestId) : undefined,
    );
    let hits = 0;
    if (cached !== undefined) {
        cacheable.forEach((c, i) => {
            const value = cached[i];
            const item = items[c.index];
            if (value !== null && value !== undefined && item.kind === "call") {
                // Cached values are the `result` JSON text, so a hit is built without parsing it.
                outputs[c.index] = responseText(item.call.rawId, "result", value);
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
    return forwardUpstream(items, deps, cacheable, toForward, outputs, cache);
}

/** The calls no cache answered, in one upstream request. */
async function forwardUpstream(
    items: readonly BatchItem[],
    deps: ForwardDeps,
    cacheable: readonly Cacheable[],
    toForward: readonly number[],
    outputs: (string | undefined)[],
    cache: CacheStatus,
): Promise<ForwardOutcome> {
    const calls = toForward.map((index) => callAt(items, index));
    const payload = calls.map((call, i) => upstreamCall(call, upstreamId(i)));
    const result = await deps.upstream.post(deps.url, JSON.stringify(payload.length === 1 ? payload[0] : payload), {
        endpointId: deps.endpointId,
        watchClient: deps.watchClient,
    });
    if (result.kind !== "ok") {
        return { outputs, status: transportFailure(result, calls, toForward, outputs, deps.requestId), cache };
    }
    const answers = matchUpstreamAnswers(result.body, calls.map((call) => !call.notification));
    // Each value serialised once: the client's answer and the cache entry share the text.
    const answered = answers.map((answer): AnsweredCall | undefined => (answer === undefined ? undefined : { kind: answer.kind, value: answer.value, json: JSON.stringify(answer.value) }));
    const status = answerCalls(answered, calls, toForward, outputs, deps.requestId);
    storeResults(cacheable, toForward, answered, deps.cache);
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
            found.push({ index, key: cacheKeyOf(item.call, deps), ttl });
        }
    });
    return found;
}

/**
 * Cache keys of remembered call texts (RpcCall.template), per endpoint resolution (its URL
 * object; the endpoint memo hands out the same one until it expires): a call clients repeat
 * has its key hashed once, not on every request (0.75–1.35 µs of a memo hit's 8 µs of
 * gateway work, in process; BENCHMARKS.md run 11).
 */
const templateKeys = new WeakMap<URL, { readonly endpointId: string; readonly keys: WeakMap<object, string> }>();

function cacheKeyOf(call: RpcCall, deps: Pick<ForwardDeps, "endpointId" | "url">): string {
    const template = call.template;
    if (template === undefined) {
        return responseCacheKey(deps.endpointId, deps.url, call.method, call.params);
    }
    let known = templateKeys.get(deps.url);
    if (known === undefined || known.endpointId !== deps.endpointId) {
        known = { endpointId: deps.endpointId, keys: new WeakMap() };
        templateKeys.set(deps.url, known);
    }
    let key = known.keys.get(template);
    if (key === undefined) {
        key = responseCacheKey(deps.endpointId, deps.url, call.method, call.params);
        known.keys.set(template, key);
    }
    return key;
}

function callAt(items: readonly BatchItem[], index: number): RpcCall {
    const item = items[index];
    if (item.kind !== "call") {
        throw new Error(`item ${index} is not a call`);
    }
    return item.call;
}

function upstreamCall(call: RpcCall, id: number): Record<string, unknown> {
    const out: Record<string, unknown> = { jsonrpc: "2.0", method: call.method };
    if (call.hasParams) {
        out.params = call.params;
    }
    if (!call.notification) {
        out.id = id;
    }
    return out;
}

/** No usable upstream answer at all: every forwarded call gets the gateway's error. */
function transportFailure(
    result: Exclude<UpstreamResult, { kind: "ok" }>,
    calls: readonly RpcCall[],
    forwarded: readonly number[],
    outputs: (string | undefined)[],
    requestId: string | undefined,
): number {
    const [status, code, message] = upstreamFailure(result);
    calls.forEach((call, i) => {
        if (!call.notification) {
            outputs[forwarded[i]] = rpcErrorText(call.rawId, code, message, requestId);
        }
    });
    return status;
}

/**
 * What the client is told when the upstream call failed: a stable code and a short
 * message. The details (addresses, TLS and socket errors) are in the server log only.
 * `aborted` answers nobody (the client is gone); 499 keeps it out of the 5xx counts.
 */
function upstreamFailure(result: Exclude<UpstreamResult, { kind: "ok" }>): [number, number, string] {
    switch (result.kind) {
        case "timeout":
            return [504, RpcCode.UpstreamTimeout, "Upstream timed out"];
        case "too-large":
            return [502, RpcCode.UpstreamResponseTooLarge, "Upstream response too large"];
        case "aborted":
            return [499, RpcCode.UpstreamUnavailable, "Client closed the request"];
        case "unavailable":
            return [502, RpcCode.UpstreamUnavailable, "Upstream unavailable"];
    }
}

/**
 * Fills outputs for forwarded calls; returns the HTTP status: 200 when the upstream
 * answered any call (a call it left unanswered gets its own error, never failing the
 * rest), 502 when it answered none.
 */
function answerCalls(
    answers: readonly (AnsweredCall | undefined)[],
    calls: readonly RpcCall[],
    forwarded: readonly number[],
    outputs: (string | undefined)[],
    requestId: string | undefined,
): number {
    let answered = 0;
    let expected = 0;
    calls.forEach((call, i) => {
        if (call.notification) {
            return;
        }
        expected += 1;
        const answer = answers[i];
        if (answer === undefined) {
            outputs[forwarded[i]] = rpcErrorText(call.rawId, RpcCode.UpstreamUnavailable, "Upstream returned no valid response for this call", requestId);
        } else {
            answered += 1;
            outputs[forwarded[i]] = responseText(call.rawId, answer.kind, answer.json);
        }
    });
    return answered === 0 && expected > 0 ? 502 : 200;
}

/** Only successful, non-null results are shared: errors and "not yet" answers are not facts. */
function storeResults(
    cacheable: readonly Cacheable[],
    forwarded: readonly number[],
    answers: readonly (AnsweredCall | undefined)[],
    cache: ResponseStore,
): void {
    const positionOf = new Map(forwarded.map((index, position) => [index, position]));
    for (const c of cacheable) {
        const position = positionOf.get(c.index);
        const answer = position === undefined ? undefined : answers[position];
        if (answer !== undefined && answer.kind === "result" && answer.value !== null) {
            cache.set(c.key, answer.json, c.ttl);
        }
    }
}
