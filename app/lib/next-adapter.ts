/**
 * Adapts the plain API routes to Next route handlers (app/app/api/.../route.ts), so the
 * routes also work when Next itself dispatches them (API_ROUTER=next, or Next's own
 * standalone server) with the same status, body and headers as the lean server.
 */
import { type ApiRequest, apiHeaders, newTrace, watchSignal } from "./api";
import { errorMessage, log } from "./log";
import { requestIds } from "./request-id";
import { API_ROUTES, internalError, REQUEST_ID_HEADER, runRoute } from "./routes";
import { getRuntime, type Runtime } from "./runtime";

type RouteHandler = (request: Request) => Promise<Response>;

async function* noBody(): AsyncIterable<Uint8Array> {
    // A GET has no body; an empty iterable keeps readBody uniform.
}

/**
 * Every method goes to the plain route, which answers 405 itself, so a wrong method
 * gets the same answer from both servers.
 */
export function nextRoutes(path: string): Readonly<Record<"GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS", RouteHandler>> {
    const handler = nextRoute(path);
    return { GET: handler, HEAD: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler, OPTIONS: handler };
}

function nextRoute(path: string): RouteHandler {
    const route = API_ROUTES.get(path);
    if (route === undefined) {
        throw new Error(`no API route for ${path}`);
    }
    return async (request) => {
        const ids = requestIds(request.headers.get("x-amzn-trace-id"), request.headers.get(REQUEST_ID_HEADER));
        let rt: Runtime;
        try {
            rt = getRuntime();
        } catch (error) {
            log("error", "cannot create runtime", { error: errorMessage(error), requestId: ids.requestId });
            const out = internalError("unconfigured", ids.requestId);
            return new Response(out.body, { status: out.status, headers: { ...out.headers, [REQUEST_ID_HEADER]: ids.requestId } });
        }
        const url = new URL(request.url);
        const length = request.headers.get("content-length");
        const req: ApiRequest = {
            method: request.method,
            trace: newTrace(path, ids),
            search: url.search.slice(1),
            contentLength: length === null ? undefined : Number(length),
            body: request.body ?? noBody(),
            headers: apiHeaders((name) => request.headers.get(name) ?? undefined),
            watchClient: (cancel) => watchSignal(request.signal, cancel),
        };
        const out = await runRoute(route, req, rt);
        const headers = out.closeConnection ? { ...out.headers, connection: "close" } : out.headers;
        return new Response(out.status === 204 ? null : out.body, { status: out.status, headers });
    };
}
