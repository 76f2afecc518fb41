/**
 * Preloaded into every server the benchmark starts (`node -r gc-observer.js`, staged as
 * JavaScript by targets.ts): one line per garbage collection on stderr, which the bench
 * sends to the server's log file. The bench reads the lines a fixed-rate round produced
 * (gc-log.ts) and reports the pauses beside the round's p99: at a fixed arrival rate a
 * pause of P ms keeps a server at busy share ρ behind for about P ÷ (1 − ρ) ms, so the
 * pauses explain much of a tail (BENCHMARKS.md run 18).
 *
 * The cost is one short write per collection (tens per second), the same for every server.
 */
import { constants, PerformanceObserver } from "node:perf_hooks";
import { GC_LINE_PREFIX } from "./gc-log";

const KINDS: Readonly<Record<number, string>> = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
    [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};

new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
        const detail: unknown = "detail" in entry ? entry.detail : undefined;
        const kind = typeof detail === "object" && detail !== null && "kind" in detail && typeof detail.kind === "number" ? detail.kind : -1;
        process.stderr.write(`${GC_LINE_PREFIX} ${KINDS[kind] ?? "other"} ${entry.duration.toFixed(3)}\n`);
    }
}).observe({ entryTypes: ["gc"] });
