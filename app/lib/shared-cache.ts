/**
 * The Redis every task shares. The gateway must keep serving when Redis is down, so
 * nothing here throws: a read that cannot be answered returns `undefined` ("cache
 * unavailable", served as BYPASS), and writes are fire-and-forget.
 */
import Redis from "ioredis";
import type { AppConfig } from "./env";
import { errorMessage, log, logThrottled } from "./log";

export class SharedCache {
    readonly client: Redis;

    constructor(cfg: AppConfig["redis"]) {
        this.client = new Redis(cfg.url, {
            password: cfg.authToken,
            ...(cfg.tls ? { tls: {} } : {}),
            // Fail fast instead of queueing while disconnected: a queued command would
            // hold the request until Redis returns, which is the outage we must ride out.
            enableOfflineQueue: false,
            // Off: ioredis' auto-pipelining keeps its batches' objects alive across young-
            // generation GCs. A bare client doing a GET and a SET 2,000 times a second spent
            // 9× as long in GC (longest pause 21 ms against 6) and 1.7× the CPU; the gateway
            // at 1,600 misses/s was 15 % less busy without it, its p99 13.6 ms against 55.9.
            // At fixed concurrency it made no measurable difference (BENCHMARKS.md run 20).
            // It paid off when every cache hit was a Redis GET; the response memo ended that.
            enableAutoPipelining: false,
            maxRetriesPerRequest: 0,
            commandTimeout: cfg.commandTimeoutMs,
            connectTimeout: 2000,
            // Keep reconnecting for as long as the task lives, at most every 2 s.
            retryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
        });
        this.client.on("ready", () => log("info", "redis ready"));
        this.client.on("error", (error: unknown) => this.logError("redis error", error));
    }

    /** Redis emits an error per reconnect attempt; one line per 10 s is enough. */
    private logError(msg: string, error: unknown): void {
        logThrottled(msg, "warn", msg, { error: errorMessage(error) });
    }

    get available(): boolean {
        return this.client.status === "ready";
    }

    /** `undefined` when Redis cannot answer; `null` entries are misses. */
    async getMany(keys: readonly string[]): Promise<(string | null)[] | undefined> {
        if (!this.available || keys.length === 0) {
            return undefined;
        }
        try {
            return keys.length === 1 ? [await this.client.get(keys[0])] : await this.client.mget(...keys);
        } catch (error) {
            this.logError("redis read failed", error);
            return undefined;
        }
    }

    set(key: string, value: string, ttlSeconds: number): void {
        if (!this.available) {
            return;
        }
        this.client.set(key, value, "EX", ttlSeconds).catch((error: unknown) => this.logError("redis write failed", error));
    }

    async ping(): Promise<void> {
        await this.client.ping();
    }

    async close(): Promise<void> {
        try {
            await this.client.quit();
        } catch {
            // Already disconnected: nothing to flush.
            this.client.disconnect();
        }
    }
}
