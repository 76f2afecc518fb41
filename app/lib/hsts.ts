/**
 * HTTP Strict Transport Security for responses to requests that reached the load balancer
 * over HTTPS. The task itself only ever speaks plain HTTP to the ALB; the ALB tells it the
 * client's protocol in X-Forwarded-Proto. On a plain-HTTP response the header would be
 * ignored by browsers anyway (RFC 6797 §8.1) and would only mislead, so it is left off.
 */
export const HSTS_HEADER = "strict-transport-security";

/**
 * One year. No `includeSubDomains` and no `preload`: other names under the gateway's
 * domain are not this service's to force onto HTTPS, and preloading cannot be undone
 * quickly.
 */
export const HSTS_VALUE = "max-age=31536000";

/**
 * True when the original request came over HTTPS. With proxies in a chain the header can
 * hold a list (`https, http`); the first entry is the client-facing hop.
 */
export function cameOverHttps(forwardedProto: string | readonly string[] | undefined): boolean {
    const raw = Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto;
    if (typeof raw !== "string") {
        return false;
    }
    return raw.split(",")[0].trim().toLowerCase() === "https";
}
