/**
 * The GC lines the bench's servers write (tools/bench/gc-observer.ts), read back per round
 * (tools/bench/gc-log.ts).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { GC_LINE_PREFIX, gcPauses } from "../../tools/bench/gc-log";

describe("bench GC log", () => {
    it("adds up the pauses of its own lines and skips every other line of a server log", () => {
        const text = [
            '{"level":"info","msg":"request","ms":1.2}',
            `${GC_LINE_PREFIX} minor 5.250`,
            `${GC_LINE_PREFIX} major 12.000`,
            `prefix ${GC_LINE_PREFIX} minor 99`,
            `${GC_LINE_PREFIX} minor`,
            `${GC_LINE_PREFIX} incremental 0.750`,
            "",
        ].join("\n");
        assert.deepEqual(gcPauses(text), { count: 3, totalMs: 18, maxMs: 12 });
        assert.deepEqual(gcPauses(""), { count: 0, totalMs: 0, maxMs: 0 });
    });

    it("property: the total is the sum and the longest the maximum of the pauses written, whatever lies between", () => {
        fc.assert(
            fc.property(fc.array(fc.tuple(fc.constantFrom("minor", "major", "incremental", "weakcb", "other"), fc.integer({ min: 0, max: 100_000 }), fc.string())), (entries) => {
                const text = entries.map(([kind, us, noise]) => `${noise.replace(/\n/g, " ")}\n${GC_LINE_PREFIX} ${kind} ${(us / 1000).toFixed(3)}`).join("\n");
                const ms = entries.map(([, us]) => Number((us / 1000).toFixed(3)));
                const got = gcPauses(text);
                assert.equal(got.count, entries.length);
                assert.ok(Math.abs(got.totalMs - ms.reduce((a, b) => a + b, 0)) < 1e-6);
                assert.equal(got.maxMs, ms.length === 0 ? 0 : Math.max(...ms));
            }),
        );
    });
});
