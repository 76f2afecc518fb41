/**
 * CORS for /api/gateway, off unless CORS_ORIGINS names the origins a browser page may
 * call from (or `*`). Nodes such as geth (`--http.corsdomain`) make it an explicit
 * option too: a gateway that answered every origin would let any web page spend its
 * users' quota. Pure: no I/O.
 */

export type CorsPolicy =
    | { readonly kind: "off" }
    | { readonly kind: "any" }
    | { readonly kind: "list"; readonly origins: ReadonlySet<string> };

export const CORS_OFF: CorsPolicy = { kind: "off" };

export type CorsParse = { readonly ok: true; readonly policy: CorsPolicy } | { readonly ok: false; readonly error: string };

// scheme://host[:port], no path: exactly what browsers send in `Origin`.
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** `""` → off; `"*"` → any origin; else comma-separated origins such as `https://app.example.com`. */
export function parseCorsOrigins(raw: string): CorsParse {
    const trimmed = raw.trim();
    if (trimmed === "") {
        return { ok: true, policy: CORS_OFF };
    }
    if (trimmed === "*") {
        return { ok: true, policy: { kind: "any" } };
    }
    const origins = new Set<string>();
    for (const entry of trimmed.split(",")) {
        const origin = entry.trim();
        if (!ORIGIN.test(origin)) {
            return { ok: false, error: `bad origin ${JSON.stringify(entry)}` };
        }
        // Browsers send scheme and host in lower case.
        origins.add(origin.toLowerCase());
    }
    return { ok: true, policy: { kind: "list", origins } };
}

function allows(policy: CorsPolicy, origin: string | undefined): boolean {
    if (origin === undefined || policy.kind === "off") {
        return false;
    }
    return policy.kind === "any" || policy.origins.has(origin.toLowerCase());
}

/** Headers to add to an actual (non-preflight) response. */
export function corsHeaders(policy: CorsPolicy, origin: string | undefined): Record<string, string> {
    if (policy.kind === "off") {
        return {};
    }
    // The answer depends on Origin whenever a list decides it: shared caches must key on it.
    const vary: Record<string, string> = policy.kind === "list" ? { vary: "Origin" } : {};
    if (!allows(policy, origin)) {
        return vary;
    }
    return { ...vary, "access-control-allow-origin": policy.kind === "any" ? "*" : (origin ?? "") };
}

// A comma-separated list of header names (RFC 9110 tokens); anything else is not echoed.
const HEADER_LIST = /^\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*\s*$/;

/** Headers for a preflight (OPTIONS) answer, or undefined when CORS does not allow it (the caller answers 405). */
export function preflightHeaders(policy: CorsPolicy, origin: string | undefined, requestHeaders: string | undefined): Record<string, string> | undefined {
    if (!allows(policy, origin)) {
        return undefined;
    }
    return {
        ...corsHeaders(policy, origin),
        "access-control-allow-methods": "POST, OPTIONS",
        // Browsers ask for content-type (JSON) and whatever a library adds; echo what was asked.
        "access-control-allow-headers": requestHeaders !== undefined && HEADER_LIST.test(requestHeaders) ? requestHeaders : "content-type",
        "access-control-max-age": "600",
    };
}
