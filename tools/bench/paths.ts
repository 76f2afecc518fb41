/**
 * The three request paths the benchmark measures, each as a wrk Lua script (fixed
 * concurrency) and as a request builder for the fixed-rate generator.
 *
 * - hit:    POST /api/gateway, eth_chainId — cached for an hour, so after the first
 *           request every one is a cache hit without touching the upstream: from the
 *           task's response memo, and from Redis once per RESPONSE_MEMO_MS (every time
 *           for target bR, which runs with the memo off).
 * - miss:   POST /api/gateway, eth_getBalance with a new address on every request —
 *           a Redis lookup that misses, the upstream call, and the Redis write.
 *           The benchmark adds eth_getBalance to CACHE_TTLS so the miss is a real one
 *           (GET miss + SET), not a method the cache skips.
 * - health: GET /api/health — no I/O at all: the cheapest route, the server's own cost.
 */
import fs from "node:fs";
import path from "node:path";

export type PathId = "hit" | "miss" | "health";
export const PATH_IDS: readonly PathId[] = ["hit", "miss", "health"];

/** CACHE_TTLS the servers run with: the app's defaults plus the miss path's method. */
export const BENCH_CACHE_TTLS = "eth_chainId=3600,net_version=3600,eth_blockNumber=1,eth_getBalance=60";

export interface BenchPath {
    readonly id: PathId;
    readonly label: string;
    readonly method: "GET" | "POST";
    /** Path and query, relative to the server's base URL. */
    readonly urlPath: string;
    /** Body of request `index` of run `runTag` (unique per request on the miss path). */
    body(runTag: string, index: number): string | undefined;
    /** wrk Lua script; `init(args)` receives the run tag. */
    readonly lua: string;
}

export const HIT_BODY = JSON.stringify({ jsonrpc: "2.0", method: "eth_chainId", params: [], id: 1 });

/**
 * A 20-byte address made of the run tag (8 hex digits) and a counter (32 hex digits):
 * unique across requests and across runs, so no run ever hits a key a previous run wrote.
 */
export function missBody(runTag: string, index: number): string {
    const address = `0x${runTag}${index.toString(16).padStart(32, "0")}`;
    return JSON.stringify({ jsonrpc: "2.0", method: "eth_getBalance", params: [address, "latest"], id: 1 });
}

export function benchPaths(endpointId: string): readonly BenchPath[] {
    const gateway = `/api/gateway?endpoint=${endpointId}`;
    return [
        {
            id: "hit",
            label: "gateway cache hit",
            method: "POST",
            urlPath: gateway,
            body: () => HIT_BODY,
            lua: [
                'wrk.method = "POST"',
                `wrk.body = '${HIT_BODY}'`,
                'wrk.headers["Content-Type"] = "application/json"',
            ].join("\n"),
        },
        {
            id: "miss",
            label: "gateway cache miss",
            method: "POST",
            urlPath: gateway,
            body: missBody,
            // Builds each body in Lua: wrk then formats every request itself, which costs
            // it some CPU, but it is on the other core and far from its limit.
            lua: [
                'local tag = "00000000"',
                "local n = 0",
                "function init(args) if args[1] then tag = args[1] end end",
                "function request()",
                "  n = n + 1",
                "  local body = string.format('{\"jsonrpc\":\"2.0\",\"method\":\"eth_getBalance\",\"params\":[\"0x%s%032x\",\"latest\"],\"id\":1}', tag, n)",
                '  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)',
                "end",
            ].join("\n"),
        },
        {
            id: "health",
            label: "/api/health",
            method: "GET",
            urlPath: "/api/health",
            body: () => undefined,
            lua: 'wrk.method = "GET"',
        },
    ];
}

/** Writes each path's Lua script into `dir`; returns id → file. */
export function writeLuaScripts(dir: string, paths: readonly BenchPath[]): Map<PathId, string> {
    fs.mkdirSync(dir, { recursive: true });
    const files = new Map<PathId, string>();
    for (const p of paths) {
        const file = path.join(dir, `${p.id}.lua`);
        fs.writeFileSync(file, `${p.lua}\n`);
        files.set(p.id, file);
    }
    return files;
}
