/**
 * Endpoint id → upstream URL. Postgres is the source of truth; Redis holds the mapping
 * for every task (so lookups keep working while Postgres is down), and a short
 * in-process memo keeps the cache-hit path at one Redis round trip per request.
 */
import type { Pool } from "pg";
import { endpointCacheKey } from "./cache-policy";
import { findUpstreamUrl } from "./db";
import { errorMessage, logThrottled } from "./log";
import type { SharedCache } from "./shared-cache";

export type EndpointLookup =
    | { readonly kind: "found"; readonly url: URL }
    | { readonly kind: "not-found" }
    | { readonly kind: "misconfigured"; readonly detail: string }
    | { readonly kind: "unavailable"; readonly detail: string };

export const ENDPOINT_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Unknown ids are remembered briefly so a flood of them cannot reach Postgres, yet a new endpoint appears quickly. */
const NEGATIVE_TTL_S = 5;
const MEMO_LIMIT = 10_000;

interface CachedMapping {
    readonly url?: string;
}

interface MemoEntry {
    readonly lookup: EndpointLookup;
    readonly expires: number;
}

export class EndpointDirectory {
    private readonly memo = new Map<string, MemoEntry>();
    /** Concurrent misses for one id share one query (a cold fleet under load would stampede). */
    private readonly inFlight = new Map<string, Promise<EndpointLookup>>();

    constructor(
        private readonly pool: Pool,
        private readonly cache: SharedCache,
        private readonly cacheTtlS: number,
        private readonly memoMs: number,
    ) {}

    /** Synchronous while the mapping is in this task's memo. */
    lookup(endpointId: string): EndpointLookup | Promise<EndpointLookup> {
        const memo = this.memo.get(endpointId);
        if (memo !== undefined && memo.expires > Date.now()) {
            return memo.lookup;
        }
        let pending = this.inFlight.get(endpointId);
        if (pending === undefined) {
            pending = this.resolve(endpointId).finally(() => this.inFlight.delete(endpointId));
            this.inFlight.set(endpointId, pending);
        }
        return pending;
    }

    private async resolve(endpointId: string): Promise<EndpointLookup> {
        const key = endpointCacheKey(endpointId);
        if (this.cacheTtlS > 0) {
            const cached = await this.cache.getMany([key]);
            const hit = cached?.[0];
            if (hit !== undefined && hit !== null) {
                return this.remember(endpointId, toLookup(parseMapping(hit).url));
            }
        }
        let url: string | undefined;
        try {
            url = await findUpstreamUrl(this.pool, endpointId);
        } catch (error) {
            // Throttled: under a database outage every uncached request lands here.
            logThrottled("endpoint-lookup", "warn", "endpoint lookup failed", { error: errorMessage(error) }, 1000);
            return { kind: "unavailable", detail: errorMessage(error) };
        }
        if (this.cacheTtlS > 0) {
            const ttl = url === undefined ? Math.min(NEGATIVE_TTL_S, this.cacheTtlS) : this.cacheTtlS;
            this.cache.set(key, JSON.stringify(url === undefined ? {} : { url }), ttl);
        }
        return this.remember(endpointId, toLookup(url));
    }

    private remember(endpointId: string, lookup: EndpointLookup): EndpointLookup {
        if (this.memoMs > 0 && lookup.kind !== "unavailable") {
            if (this.memo.size >= MEMO_LIMIT) {
                this.memo.clear();
            }
            const ttl = lookup.kind === "found" ? this.memoMs : Math.min(this.memoMs, NEGATIVE_TTL_S * 1000);
            this.memo.set(endpointId, { lookup, expires: Date.now() + ttl });
        }
        return lookup;
    }
}

function parseMapping(text: string): CachedMapping {
    try {
        const value: unknown = JSON.parse(text);
        if (typeof value === "object" && value !== null && "url" in value && typeof value.url === "string") {
            return { url: value.url };
        }
    } catch {
        // A corrupt entry reads as "no endpoint"; it expires like any other.
    }
    return {};
}

function toLookup(url: string | undefined): EndpointLookup {
    if (url === undefined) {
        return { kind: "not-found" };
    }
    try {
        const parsed = new URL(url);
        if (parsed.protocol === "http:" || parsed.protocol === "https:") {
            return { kind: "found", url: parsed };
        }
    } catch {
        // Falls through to the error below.
    }
    return { kind: "misconfigured", detail: "the endpoint's upstream URL is not an http(s) URL" };
}
