/**
 * The fixed-rate runs' arrival rate (tools/bench/open-rate.ts): 70 % of the c=64 median,
 * capped, then lowered by probes until the server's core is about 70 % busy.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { calibrateOpenRate, nextRate, OPEN_RATE_POLICY, type OpenRatePolicy, startingRate } from "../../tools/bench/open-rate";

const policy: OpenRatePolicy = { ...OPEN_RATE_POLICY, cap: 2000 };

/** A server whose core busy share at `rate` is `fixed + rate × costS` (CPU seconds per request). */
function server(costS: number, fixed = 0): { probe: (rate: number) => Promise<number>; asked: number[] } {
    const asked: number[] = [];
    return {
        asked,
        probe: async (rate) => {
            asked.push(rate);
            return fixed + rate * costS;
        },
    };
}

describe("bench fixed rate: the starting rate", () => {
    it("is 70 % of the c=64 median, rounded, at least 1, at most the cap", () => {
        assert.deepEqual(startingRate(1000, policy), { rate: 700, basis: "concurrency" });
        assert.deepEqual(startingRate(3082, policy), { rate: 2000, basis: "cap" });
        assert.deepEqual(startingRate(2857, policy), { rate: 2000, basis: "concurrency" });
        assert.deepEqual(startingRate(0, policy), { rate: 1, basis: "concurrency" });
    });
});

describe("bench fixed rate: one probe's verdict", () => {
    it("keeps the rate up to the target plus the tolerance, and when the reading is missing", () => {
        assert.equal(nextRate({ rate: 2000, busyShare: 0.45 }, policy), 2000);
        assert.equal(nextRate({ rate: 2000, busyShare: 0.75 }, policy), 2000);
        assert.equal(nextRate({ rate: 2000, busyShare: Number.NaN }, policy), 2000);
    });

    it("scales the rate by target ÷ busy share above that, rounding down, never below 1", () => {
        assert.equal(nextRate({ rate: 2000, busyShare: 0.751 }, policy), 1864);
        assert.equal(nextRate({ rate: 2000, busyShare: 0.87 }, policy), 1609);
        assert.equal(nextRate({ rate: 1, busyShare: 3 }, policy), 1);
    });
});

describe("bench fixed rate: the calibration", () => {
    it("keeps the starting rate, after one probe, for a server that is not too busy there", async () => {
        const s = server(0.45 / 2000);
        const chosen = await calibrateOpenRate(7128, policy, s.probe);
        assert.deepEqual(s.asked, [2000]);
        assert.deepEqual({ rate: chosen.rate, basis: chosen.basis }, { rate: 2000, basis: "cap" });
    });

    it("lowers the rate of a server whose core is too busy, and probes the new rate", async () => {
        // BENCHMARKS.md run 13: the gateway's miss path at 2,000/s kept its core 93 % busy.
        const s = server(0.93 / 2000);
        const chosen = await calibrateOpenRate(3082, policy, s.probe);
        assert.deepEqual(s.asked, [2000, 1505]);
        assert.equal(chosen.rate, 1505);
        assert.equal(chosen.basis, "busy");
        assert.deepEqual(
            chosen.probes.map((p) => p.rate),
            [2000, 1505],
        );
    });

    it("stops after maxProbes even if the core never gets under the target", async () => {
        // A server busy 90 % with no traffic at all: no rate gets it to 70 %.
        const s = server(0.0001, 0.9);
        const chosen = await calibrateOpenRate(1000, policy, s.probe);
        assert.equal(s.asked.length, policy.maxProbes);
        assert.ok(chosen.rate < s.asked[s.asked.length - 1]);
        assert.equal(chosen.basis, "busy");
    });

    it("property: never above the starting rate nor below 1; a linear server ends at most at the target", async () => {
        await fc.assert(
            fc.asyncProperty(fc.double({ min: 1, max: 100_000, noNaN: true }), fc.double({ min: 1e-7, max: 1e-2, noNaN: true }), async (closedRps, costS) => {
                const s = server(costS);
                const chosen = await calibrateOpenRate(closedRps, policy, s.probe);
                const start = startingRate(closedRps, policy);
                assert.ok(chosen.rate >= 1 && chosen.rate <= start.rate);
                assert.ok(s.asked.length >= 1 && s.asked.length <= policy.maxProbes);
                assert.equal(s.asked[0], start.rate);
                assert.equal(chosen.basis, chosen.rate < start.rate ? "busy" : start.basis);
                if (chosen.rate > 1) {
                    assert.ok(chosen.rate * costS <= policy.targetBusy + policy.tolerance + 1e-9, `${chosen.rate}/s leaves the core ${chosen.rate * costS} busy`);
                }
            }),
            { numRuns: 500 },
        );
    });
});
