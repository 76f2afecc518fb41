/**
 * Which JSON-RPC methods are cached, for how long, and under which Redis key.
 *
 * Only results that are the same for every caller are cached (chain id, latest block
 * for about a second); the key includes the endpoint id and its upstream URL, so two
 * chains never share an entry and an endpoint re-pointed to another chain never serves
 * the old chain's answers, and a hash of the params, so eth_getBalance(a) never answers
 * eth_getBalance(b).
 */
import { hash } from "node:crypto";

export type TtlParse =
    | { readonly ok: true; readonly ttls: ReadonlyMap<string, number> }
    | { readonly ok: false; readonly error: string };

const METHOD = /^[A-Za-z0-9_]{1,100}$/;
/**
 * Methods that change state or whose answer is new each time (sending and signing
 * transactions, filters, node control): a cached answer would swallow a write or
 * replay a stale one, so CACHE_TTLS may not list them.
 */
const NEVER_CACHED =
    /^(eth_send|eth_sign|eth_(subscribe|unsubscribe|newFilter|newBlockFilter|newPendingTransactionFilter|uninstallFilter|getFilterChanges)$|personal_|evm_|hardhat_|anvil_|miner_|admin_)/;
const MAX_TTL_S = 86400;

/** `"eth_chainId=3600,eth_blockNumber=1"` → Map; empty string → no method is cached. */
export function parseCacheTtls(raw: string): TtlParse {
    const ttls = new Map<string, number>();
    const trimmed = raw.trim();
    if (trimmed === "") {
        return { ok: true, ttls };
    }
    for (const pair of trimmed.split(",")) {
        const [method, seconds, ...rest] = pair.trim().split("=");
        if (method === undefined || seconds === undefined || rest.length > 0 || !METHOD.test(method)) {
            return { ok: false, error: `bad entry ${JSON.stringify(pair)}` };
        }
        const ttl = /^\d+$/.test(seconds) ? Number(seconds) : Number.NaN;
        if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_TTL_S) {
            return { ok: false, error: `bad seconds in ${JSON.stringify(pair)}` };
        }
        if (NEVER_CACHED.test(method)) {
            return { ok: false, error: `${method} changes state or answers anew each time; it is never cached` };
        }
        if (ttls.has(method)) {
            return { ok: false, error: `${method} listed twice` };
        }
        ttls.set(method, ttl);
    }
    return { ok: true, ttls };
}

/**
 * Bump when the cached value's format changes, so old entries are ignored during a rolling deploy.
 * Answers, v2: stored as `<expiry>:<result JSON>` (lib/response-cache.ts). Endpoint mappings, v1.
 */
const RESPONSE_KEY_VERSION = "v2";
const ENDPOINT_KEY_VERSION = "v1";

export function responseCacheKey(endpointId: string, upstream: URL, method: string, params: unknown): string {
    // One-shot hash: for inputs this small, createHash's object costs more than the digest.
    const digest = hash("sha256", `${upstream.href}\0${JSON.stringify(params ?? null)}`, "base64url").slice(0, 32);
    return `wf:rpc:${RESPONSE_KEY_VERSION}:${endpointId}:${method}:${digest}`;
}

export function endpointCacheKey(endpointId: string): string {
    return `wf:endpoint:${ENDPOINT_KEY_VERSION}:${endpointId}`;
}
