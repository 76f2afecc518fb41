import assert from "node:assert/strict";
import type { RunResult } from "../../../tools/loadtest/run";
import { hasRpcError } from "../../../tools/loadtest/run";
import { evaluate, percentile, summarize } from "../../../tools/loadtest/stats";

function run(latencies: number[], errors: number, instances: Record<string, number>): RunResult {
    return {
        scheduled: latencies.length + errors,
        latenciesMs: Float64Array.from(latencies),
        outcomes: new Map([["200", latencies.length]]),
        errors,
        instances: new Map(Object.entries(instances)),
        elapsedMs: 1000,
        maxSendLagMs: 1,
    };
}

const THRESHOLDS = { maxErrorRate: 0.01, maxP95Ms: 500, minInstances: 0 };

describe("loadtest statistics", () => {
    it("takes nearest-rank percentiles", () => {
        const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
        assert.equal(percentile(sorted, 50), 50);
        assert.equal(percentile(sorted, 95), 95);
        assert.equal(percentile(sorted, 99), 99);
        assert.equal(percentile(sorted, 100), 100);
        assert.equal(percentile(Float64Array.of(7), 99), 7);
        assert.ok(Number.isNaN(percentile(new Float64Array(0), 50)));
    });

    it("sorts latencies numerically, not as strings", () => {
        const s = summarize(run([100, 9, 20, 3], 0, { a: 4 }));
        assert.equal(s.latencyMs.max, 100);
        assert.equal(s.latencyMs.p50, 9);
    });

    it("passes a clean fast run and reports the spread largest first", () => {
        const s = summarize(run(Array(100).fill(10), 0, { b: 40, a: 60 }));
        assert.deepEqual(
            s.instances.map((i) => [i.id, i.share]),
            [
                ["a", 0.6],
                ["b", 0.4],
            ],
        );
        assert.equal(evaluate(s, THRESHOLDS).passed, true);
    });

    it("fails at exactly the error-rate limit (the check is strictly below)", () => {
        const s = summarize(run(Array(99).fill(10), 1, { a: 99 }));
        assert.equal(s.errorRate, 0.01);
        const v = evaluate(s, THRESHOLDS);
        assert.equal(v.passed, false);
        assert.equal(v.checks.find((c) => c.name === "error rate")?.passed, false);
    });

    it("fails on p95 latency", () => {
        const s = summarize(run([...Array(90).fill(10), ...Array(10).fill(800)], 0, { a: 100 }));
        const v = evaluate(s, THRESHOLDS);
        assert.equal(v.checks.find((c) => c.name === "p95 latency")?.passed, false);
    });

    it("fails a run where nothing answered", () => {
        const v = evaluate(summarize(run([], 50, {})), { ...THRESHOLDS, maxErrorRate: 1 });
        assert.equal(v.passed, false);
    });

    it("checks the instance count only when asked, ignoring answers without the header", () => {
        const s = summarize(run(Array(10).fill(1), 0, { a: 5, "(none)": 5 }));
        assert.equal(evaluate(s, THRESHOLDS).checks.length, 2);
        assert.equal(evaluate(s, { ...THRESHOLDS, minInstances: 2 }).passed, false);
        assert.equal(evaluate(s, { ...THRESHOLDS, minInstances: 1 }).passed, true);
    });

    it("recognises JSON-RPC errors inside HTTP 200 answers", () => {
        assert.equal(hasRpcError(Buffer.from('{"jsonrpc":"2.0","id":1,"result":"0x1"}')), false);
        assert.equal(hasRpcError(Buffer.from('{"jsonrpc":"2.0","id":1,"error":{"code":-32000}}')), true);
        assert.equal(hasRpcError(Buffer.from('[{"result":1},{"error":{}}]')), true);
        assert.equal(hasRpcError(Buffer.from("<html>")), false);
        assert.equal(hasRpcError(Buffer.alloc(0)), false);
    });
});
