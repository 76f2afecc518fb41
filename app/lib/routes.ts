/**
 * The API paths the gateway serves, as plain functions of (request, runtime). The lean
 * server dispatches to this table directly; Next's route handlers wrap the same entries,
 * so both paths share one implementation.
 */
import { type ApiRequest, type ApiResponse, jsonResponse, withHeaders } from "./api";
import { handleGateway } from "./gateway";
import { RpcCode, rpcError } from "./jsonrpc";
import { errorMessage } from "./log";
import { handleHealth, handleReady } from "./probes";
import type { Runtime } from "./runtime";

export type ApiRoute = (req: ApiRequest, rt: Runtime) => ApiResponse | Promise<ApiResponse>;

const probe =
    (handler: (rt: Runtime) => ApiResponse | Promise<ApiResponse>): ApiRoute =>
    (req, rt) =>
        req.method === "GET" || req.method === "HEAD"
            ? handler(rt)
            : jsonResponse(405, JSON.stringify({ error: "use GET" }), rt.instanceId, "BYPASS", { allow: "GET, HEAD" });

export const API_ROUTES: ReadonlyMap<string, ApiRoute> = new Map<string, ApiRoute>([
    ["/api/health", probe(handleHealth)],
    ["/api/ready", probe(handleReady)],
    ["/api/gateway", (req, rt) => handleGateway(req, rt)],
]);

/**
 * Runs a route; a bug becomes a JSON 500 for this request, never a crashed task. Every
 * answer carries `x-request-id` and is observed (access line, metrics).
 */
export async function runRoute(route: ApiRoute, req: ApiRequest, rt: Runtime): Promise<ApiResponse> {
    const started = performance.now();
    let out: ApiResponse;
    try {
        out = await route(req, rt);
    } catch (error) {
        req.trace.error = `unhandled error in API route: ${errorMessage(error)}`;
        out = internalError(rt.instanceId, req.trace.requestId);
    }
    rt.obs.observe(req, out, performance.now() - started);
    // A literal key, REQUEST_ID_HEADER's value: a computed key makes V8 build the object
    // on a slow path, on every answer.
    return withHeaders(out, { "x-request-id": req.trace.requestId });
}

export const REQUEST_ID_HEADER = "x-request-id";

export function internalError(instanceId: string, requestId: string): ApiResponse {
    return jsonResponse(500, JSON.stringify(rpcError(null, RpcCode.InternalError, "Internal error", requestId)), instanceId, "BYPASS");
}
