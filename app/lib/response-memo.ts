/**
 * The cached answers this task served most recently, kept in its own memory so that a
 * cache hit on a hot key costs no Redis round trip: at 2,000 req/s of `eth_chainId`
 * the task asks Redis about once per RESPONSE_MEMO_MS instead of 2,000 times a second.
 *
 * An entry is served until the earlier of two moments: when the shared cache itself
 * drops the answer (its CACHE_TTLS expiry, so the memo never serves an answer older
 * than Redis would) and RESPONSE_MEMO_MS after it was stored here (so an answer removed
 * from Redis by hand is gone from every task within that time).
 *
 * Bounded by RESPONSE_MEMO_MAX_BYTES (keys and answers counted as UTF-16, plus a fixed
 * overhead per entry): when full, the entries stored first go first. An answer larger
 * than a sixteenth of the budget is not kept, so one block-sized answer cannot flush
 * every other entry. Pure apart from its clock.
 */

/** What an entry costs beyond its key and answer text (map slot, entry object). */
export const ENTRY_OVERHEAD_BYTES = 64;

/** The largest entry kept is this fraction of the budget. */
export const MAX_ENTRY_SHARE = 16;

interface MemoEntry {
    readonly value: string;
    /** Epoch ms after which the entry is not served. */
    readonly expires: number;
    readonly bytes: number;
}

export function entryBytes(key: string, value: string): number {
    return 2 * (key.length + value.length) + ENTRY_OVERHEAD_BYTES;
}

export class ResponseMemo {
    private readonly entries = new Map<string, MemoEntry>();
    private used = 0;

    constructor(
        readonly maxAgeMs: number,
        readonly maxBytes: number,
        private readonly now: () => number = Date.now,
    ) {}

    /** Bytes held, by `entryBytes`; never above maxBytes. */
    get bytes(): number {
        return this.used;
    }

    get size(): number {
        return this.entries.size;
    }

    get(key: string): string | undefined {
        const entry = this.entries.get(key);
        if (entry === undefined) {
            return undefined;
        }
        if (entry.expires <= this.now()) {
            this.drop(key, entry);
            return undefined;
        }
        return entry.value;
    }

    /** `expiresAt`: epoch ms at which the shared cache drops this answer. */
    set(key: string, value: string, expiresAt: number): void {
        const old = this.entries.get(key);
        if (old !== undefined) {
            this.drop(key, old);
        }
        // Either limit at 0 (the memo off) stops here: nothing expires later than now,
        // and no entry fits in 0 bytes.
        const now = this.now();
        const expires = Math.min(expiresAt, now + this.maxAgeMs);
        const bytes = entryBytes(key, value);
        if (expires <= now || bytes * MAX_ENTRY_SHARE > this.maxBytes) {
            return;
        }
        for (const [oldestKey, oldest] of this.entries) {
            if (this.used + bytes <= this.maxBytes) {
                break;
            }
            this.drop(oldestKey, oldest);
        }
        this.entries.set(key, { value, expires, bytes });
        this.used += bytes;
    }

    private drop(key: string, entry: MemoEntry): void {
        this.entries.delete(key);
        this.used -= entry.bytes;
    }
}
