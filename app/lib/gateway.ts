/**
 * POST /api/gateway?endpoint=<id>: JSON-RPC 2.0, single or batch.
 *
 * Order of checks, cheapest first: method, endpoint id shape, body size, JSON, request
 * shape, endpoint lookup (Redis, then Postgres), then per call: shared cache, upstream.
 * With CORS on (CORS_ORIGINS), OPTIONS answers the browser's preflight and every answer
 * carries the allowed origin.
 */
import { type ApiRequest, type ApiResponse, jsonResponse, readBody, type RequestTrace, withHeaders } from "./api";
import type { EndpointDirectory } from "./endpoints";
import { ENDPOINT_ID } from "./endpoints";
import { type CorsPolicy, corsHeaders, preflightHeaders } from "./cors";
import type { RpcLimits } from "./env";
import { type BatchItem, RpcCode, rpcErrorText } from "./jsonrpc";
import { forwardCalls } from "./forward";
import { logThrottled } from "./log";
import type { ParseMemo } from "./parse-memo";
import type { ResponseStore } from "./response-cache";
import type { PostOptions, UpstreamClient, UpstreamResult } from "./upstream";

export interface GatewayDeps {
    readonly instanceId: string;
    readonly cacheTtls: ReadonlyMap<string, number>;
    readonly responses: ResponseStore;
    readonly endpoints: EndpointDirectory;
    readonly upstream: UpstreamClient;
    readonly limits: RpcLimits;
    readonly calls: Pick<ParseMemo, "parse" | "keep">;
    readonly cors: CorsPolicy;
}

export function handleGateway(req: ApiRequest, deps: GatewayDeps): ApiResponse | Promise<ApiResponse> {
    const origin = req.headers.origin;
    if (req.method === "OPTIONS") {
        const preflight = preflightHeaders(deps.cors, origin, req.headers["access-control-request-headers"]);
        if (preflight !== undefined) {
            return { status: 204, headers: { "x-instance-id": deps.instanceId, ...preflight }, body: "" };
        }
    }
    const cors = corsHeaders(deps.cors, origin);
    const answer = answerGateway(req, deps);
    // Without CORS headers to add, the answer's own promise is returned (one step fewer).
    return Object.keys(cors).length === 0 ? answer : answer.then((out) => withHeaders(out, cors));
}

async function answerGateway(req: ApiRequest, deps: GatewayDeps): Promise<ApiResponse> {
    const trace = req.trace;
    const fail = (status: number, code: number, message: string, extra?: Record<string, string>, rawId = "null"): ApiResponse => {
        if (status >= 500) {
            trace.error = message;
        }
        return jsonResponse(status, rpcErrorText(rawId, code, message, trace.requestId), deps.instanceId, "BYPASS", extra);
    };

    if (req.method !== "POST") {
        const allow = deps.cors.kind === "off" ? "POST" : "POST, OPTIONS";
        return fail(405, RpcCode.InvalidRequest, "Invalid Request: use POST", { allow });
    }
    const endpointId = endpointParam(req.search);
    if (endpointId === null || !ENDPOINT_ID.test(endpointId)) {
        return fail(400, RpcCode.InvalidRequest, "Invalid Request: the endpoint query parameter must be 1–128 letters, digits, _ or -");
    }
    trace.endpointId = endpointId;
    const body = await readBody(req, deps.limits.maxBodyBytes);
    if (body.kind === "aborted") {
        logThrottled("client-aborted-body", "info", "client went away while sending its request body", {});
        // Nobody reads this answer; 499 (client closed request) keeps it out of the 5xx counts.
        return { ...fail(499, RpcCode.InvalidRequest, "Client closed the request"), closeConnection: true };
    }
    if (body.kind === "too-large") {
        const response = fail(413, RpcCode.InvalidRequest, `Invalid Request: the body exceeds ${describeBytes(deps.limits.maxBodyBytes)}`);
        return body.drained ? response : { ...response, closeConnection: true };
    }
    const { parsed, candidate } = deps.calls.parse(body.text, deps.limits.maxBatch);
    if (parsed.kind === "parse-error") {
        return fail(400, RpcCode.ParseError, parsed.message);
    }
    if (parsed.kind === "invalid") {
        // A single call whose id was readable gets its id back, so the client can match it.
        return fail(400, RpcCode.InvalidRequest, parsed.message, undefined, parsed.rawId);
    }

    // Lookup and cache answer synchronously from this task's memos: no await unless they go out.
    const looked = deps.endpoints.lookup(endpointId);
    const endpoint = looked instanceof Promise ? await looked : looked;
    switch (endpoint.kind) {
        case "not-found":
            return fail(404, RpcCode.EndpointNotFound, `Unknown endpoint "${endpointId}"`);
        case "misconfigured":
            return fail(502, RpcCode.UpstreamUnavailable, `Endpoint "${endpointId}" is misconfigured: ${endpoint.detail}`);
        case "unavailable":
            return fail(503, RpcCode.ServiceUnavailable, "Endpoint lookup unavailable (database unreachable and not cached); retry shortly");
        case "found":
            break;
    }

    const items: readonly BatchItem[] = parsed.kind === "single" ? [parsed.item] : parsed.items;
    trace.batchSize = items.length;
    trace.rpcMethods = items.map((item) => (item.kind === "call" ? item.call.method : "(invalid)"));
    const forwarded = forwardCalls(items, {
        endpointId,
        url: endpoint.url,
        cacheTtls: deps.cacheTtls,
        cache: deps.responses,
        upstream: timed(deps.upstream, trace),
        requestId: trace.requestId,
        watchClient: req.watchClient,
    });
    const outcome = forwarded instanceof Promise ? await forwarded : forwarded;
    if (candidate !== undefined && outcome.cache === "HIT") {
        // A call the cache answered is one clients repeat: parse its next texts from memory.
        deps.calls.keep(candidate);
    }
    const present = outcome.outputs.filter((o): o is string => o !== undefined);
    if (present.length === 0) {
        // Only notifications: JSON-RPC says nothing is returned.
        return jsonResponse(204, "", deps.instanceId, outcome.cache);
    }
    const text = parsed.kind === "single" ? present[0] : `[${present.join(",")}]`;
    return jsonResponse(outcome.status, text, deps.instanceId, outcome.cache);
}

/** The upstream client, recording the exchange's host, time and outcome on the trace. */
function timed(client: Pick<UpstreamClient, "post">, trace: RequestTrace): Pick<UpstreamClient, "post"> {
    return {
        async post(url: URL, payload: string, options: PostOptions): Promise<UpstreamResult> {
            const started = performance.now();
            const result = await client.post(url, payload, options);
            trace.upstream = {
                host: url.host,
                ms: performance.now() - started,
                outcome: result.kind,
                detail: result.kind === "unavailable" ? result.detail : result.kind === "timeout" ? "upstream timed out" : undefined,
            };
            return result;
        },
    };
}

const ENDPOINT_PARAM = "endpoint=";

/**
 * `new URLSearchParams(search).get("endpoint")`. The usual query, `endpoint=<id>` alone
 * with nothing to decode, is read without building the object.
 */
export function endpointParam(search: string): string | null {
    if (search.startsWith(ENDPOINT_PARAM) && !search.includes("&") && !search.includes("%") && !search.includes("+")) {
        return search.slice(ENDPOINT_PARAM.length);
    }
    return new URLSearchParams(search).get("endpoint");
}

function describeBytes(bytes: number): string {
    const mib = bytes / (1024 * 1024);
    return Number.isInteger(mib) ? `${mib} MiB (${bytes} bytes)` : `${bytes} bytes`;
}
