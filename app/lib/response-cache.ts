/**
 * The JSON-RPC answer cache as forward.ts uses it: this task's memo
 * (lib/response-memo.ts) in front of the Redis every task shares.
 *
 * Redis holds each answer as `<expiry, epoch ms>:<result JSON>` (cache keys of version
 * v2, lib/cache-policy.ts), so a task that reads an answer knows exactly when it
 * expires and keeps it in its memo no longer than that. Only answers read back from
 * Redis enter the memo (see `set`). Like the shared cache, nothing
 * here throws: `undefined` means "cache unavailable" (served as BYPASS).
 */
import type { ResponseMemo } from "./response-memo";
import type { SharedCache } from "./shared-cache";

/** What forward.ts needs of a cache: the result JSON per key (`null`: miss), and storing one. */
export interface ResponseStore {
    /** Synchronous when the answers are all in this task's memory. */
    getMany(keys: readonly string[]): CachedAnswers | Promise<CachedAnswers>;
    set(key: string, resultJson: string, ttlSeconds: number): void;
}

/** The result JSON per key (`null`: a miss); `undefined`: the cache is unavailable. */
export type CachedAnswers = (string | null)[] | undefined;

export interface StoredAnswer {
    readonly expiresAt: number;
    readonly json: string;
}

export function encodeStored(expiresAt: number, json: string): string {
    return `${expiresAt}:${json}`;
}

const STORED = /^(\d{1,15}):/;

/** `undefined` for a missing entry or one not in the `<expiry>:<json>` form. */
export function decodeStored(text: string | null | undefined): StoredAnswer | undefined {
    const match = STORED.exec(text ?? "");
    if (match === null || match[0].length === match.input.length) {
        return undefined;
    }
    return { expiresAt: Number(match[1]), json: match.input.slice(match[0].length) };
}

export class ResponseCache implements ResponseStore {
    constructor(
        private readonly shared: Pick<SharedCache, "getMany" | "set">,
        private readonly memo: ResponseMemo,
        private readonly now: () => number = Date.now,
    ) {}

    getMany(keys: readonly string[]): CachedAnswers | Promise<CachedAnswers> {
        const out: (string | null)[] = [];
        const missing: number[] = [];
        for (const [i, key] of keys.entries()) {
            const held = this.memo.get(key);
            out.push(held ?? null);
            if (held === undefined) {
                missing.push(i);
            }
        }
        if (keys.length > 0 && missing.length === 0) {
            return out;
        }
        return this.fetch(keys, out, missing);
    }

    /** Reads the keys the memo did not hold from Redis, and fills them into `out`. */
    private async fetch(keys: readonly string[], out: (string | null)[], missing: readonly number[]): Promise<CachedAnswers> {
        const fetched = await this.shared.getMany(missing.map((i) => keys[i]));
        if (fetched === undefined) {
            return undefined;
        }
        const now = this.now();
        missing.forEach((i, j) => {
            const stored = decodeStored(fetched[j]);
            if (stored !== undefined && stored.expiresAt > now) {
                this.memo.set(keys[i], stored.json, stored.expiresAt);
                out[i] = stored.json;
            }
        });
        return out;
    }

    /**
     * Redis only. An answer enters the memo when it is first read back (the second time
     * anyone asks for it): answers asked for once, such as every eth_getBalance of a new
     * address, never take memo space. Measured: writing every fresh answer into the memo
     * filled it with one-off answers and cost the miss path half its throughput in
     * garbage collection (BENCHMARKS.md run 8).
     */
    set(key: string, resultJson: string, ttlSeconds: number): void {
        this.shared.set(key, encodeStored(this.now() + ttlSeconds * 1000, resultJson), ttlSeconds);
    }
}
