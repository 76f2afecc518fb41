/**
 * The benchmark's pure parts: the paired (per-round) ratios it prints beside the ratios of
 * medians (tools/bench/report.ts), and the answers the ceilings replay (ceiling-support.ts).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { PLACEHOLDER_ANSWERS, readCeilingAnswers, replayableHeaders } from "../../tools/bench/ceiling-support";
import { type BenchResult, type CellResult, markdown, median, pairedRatio, type RunFigures } from "../../tools/bench/report";
import type { TargetId } from "../../tools/bench/targets";

function run(rps: number, cpuUsPerRequest?: number): RunFigures {
    return { rps, p50Ms: 1, p99Ms: 2, errors: 0, requests: rps, cpuUsPerRequest };
}

function result(cells: Partial<Record<TargetId, readonly RunFigures[]>>): BenchResult {
    const made: CellResult[] = Object.entries(cells).map(([target, closed]) => ({
        target: target as TargetId,
        path: "hit",
        closed: closed ?? [],
        open: [],
        openRate: 0,
        openRateCapped: false,
    }));
    return {
        startedAt: "2026-11-29T00:00:00Z",
        machine: { nproc: 2, cpuModel: "test", node: "v20", pinned: true },
        settings: { runs: 3, durationS: 1, warmupS: 1, connections: 64, openFraction: 0.7 },
        cells: made,
        peakRss: {},
        idleRss: {},
    };
}

describe("bench report: paired per-round ratios", () => {
    it("pairs rounds by index: a slow round that hits both servers cancels out", () => {
        // Round 2 ran on a host at half speed: the ratio of medians says 60 %, every round says 50 %.
        const r = result({ prod: [run(100, 40), run(50, 80), run(100, 40)], ceiling: [run(200, 20), run(100, 40), run(160, 25)] });
        assert.equal(pairedRatio(r, "hit", "ceiling", "rps"), 0.5);
        assert.equal(pairedRatio(r, "hit", "ceiling", "cpu"), 0.5);
        assert.equal(median([100, 50, 100]) / median([200, 100, 160]), 100 / 160);
    });

    it("skips rounds without a CPU figure, compares against another `of`, and is NaN with nothing to pair", () => {
        const r = result({ prod: [run(100, 40), run(100)], "prod-base": [run(80, 50), run(90, 45)], ceiling: [] });
        assert.equal(pairedRatio(r, "hit", "prod-base", "cpu"), 50 / 40);
        assert.equal(pairedRatio(r, "hit", "prod", "rps", "prod-base"), median([80 / 100, 90 / 100]));
        assert.ok(Number.isNaN(pairedRatio(r, "hit", "ceiling", "rps")));
        assert.ok(Number.isNaN(pairedRatio(r, "hit", "cache-ceiling", "rps")));
        assert.ok(Number.isNaN(pairedRatio(r, "miss", "ceiling", "rps")));
    });

    it("is the median of the per-round ratios, for any rounds; the extra rounds of the longer side are ignored", () => {
        const figures = fc.array(fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e4 })), { minLength: 1, maxLength: 9 });
        fc.assert(
            fc.property(figures, figures, (a, b) => {
                const r = result({ prod: a.map(([rps, cpu]) => run(rps, cpu)), ceiling: b.map(([rps, cpu]) => run(rps, cpu)) });
                const n = Math.min(a.length, b.length);
                const rounds = Array.from({ length: n }, (_, i) => i);
                assert.equal(pairedRatio(r, "hit", "ceiling", "rps"), median(rounds.map((i) => a[i][0] / b[i][0])));
                assert.equal(pairedRatio(r, "hit", "ceiling", "cpu"), median(rounds.map((i) => b[i][1] / a[i][1])));
            }),
        );
    });
});

describe("bench report: the miss path's I/O ceiling (f)", () => {
    it("prints b/f and f ÷ b only when (f) ran, from the miss rounds", () => {
        const miss = (cells: Partial<Record<TargetId, readonly RunFigures[]>>): BenchResult => {
            const r = result(cells);
            return { ...r, cells: r.cells.map((c) => ({ ...c, path: "miss" })) };
        };
        const withF = miss({ prod: [run(100, 200), run(120, 180)], "proxy-ceiling": [run(250, 80), run(240, 82)], "proxy-cache-ceiling": [run(160, 125), run(150, 130)] });
        const text = markdown(withF, ["miss"], ["prod", "proxy-ceiling", "proxy-cache-ceiling"]);
        const ratioRow = text.split("\n").find((l) => l.startsWith("| miss | n/a |"));
        assert.ok(ratioRow !== undefined);
        // b/f from the medians: 110 ÷ 155.
        assert.match(ratioRow, / 71\.0 % \| n\/a \|$/);
        assert.match(text, /b\/f \(miss: prod ÷ miss I\/O ceiling\)/);
        assert.equal(pairedRatio(withF, "miss", "proxy-cache-ceiling", "rps"), median([100 / 160, 120 / 150]));
        const without = miss({ prod: [run(100, 200)], "proxy-ceiling": [run(250, 80)] });
        assert.doesNotMatch(markdown(without, ["miss"], ["prod", "proxy-ceiling"]), /b\/f \(miss/);
    });
});

describe("bench report: how loaded each server was in its fixed-rate runs", () => {
    const open = (p99Ms: number, cpuUsPerRequest?: number, busyShare?: number, gcPausedShare?: number, gcMaxPauseMs?: number): RunFigures => ({
        rps: 2000,
        p50Ms: 1,
        p99Ms,
        errors: 0,
        requests: 8000,
        cpuUsPerRequest,
        busyShare,
        gcPausedShare,
        gcMaxPauseMs,
    });
    const withOpen = (runs: readonly RunFigures[]): BenchResult => {
        const base = result({ prod: [run(5000, 200)] });
        return { ...base, cells: base.cells.map((c) => ({ ...c, open: runs, openRate: 2000, openRateCapped: true })) };
    };
    const prodRow = (r: BenchResult): string[] => {
        const row = markdown(r, ["hit"], ["prod"]).split("\n")[2];
        return row.split("|").map((cell) => cell.trim());
    };

    it("prints the medians of the server's CPU per request, its core's busy share and its GC pauses beside the p99", () => {
        const cells = prodRow(withOpen([open(60, 400, 0.8, 0.03, 12.5), open(20, 380, 0.75, 0.01, 4), open(90, 420, 0.86, 0.02, 6)]));
        // path, server, 5 fixed-concurrency figures, asked, got, p50, p99, errors, CPU, busy, GC ms/s, longest GC, lag
        assert.deepEqual(cells.slice(8, 18), ["2000 (cap)", "2000", "1.00", "60.0", "0", "400.0", "80 %", "20.0", "6.0", "0.00"]);
    });

    it("says n/a for results recorded before the fixed-rate CPU and GC pauses were measured", () => {
        const cells = prodRow(withOpen([open(60), open(20)]));
        assert.deepEqual(cells.slice(13, 17), ["n/a", "n/a", "n/a", "n/a"]);
    });

    it("marks a rate the probes lowered, and lists each probe's rate, busy share and p99", () => {
        const base = withOpen([open(9, 350, 0.7)]);
        const probed: BenchResult = {
            ...base,
            settings: { ...base.settings, openTargetBusy: 0.7 },
            cells: base.cells.map((c) => ({
                ...c,
                openRate: 1609,
                openRateCapped: false,
                openRateBasis: "busy",
                openProbes: [
                    { rate: 2000, figures: open(94.8, 417, 0.87) },
                    { rate: 1609, figures: open(12.5, 430, 0.69) },
                ],
            })),
        };
        assert.equal(prodRow(probed)[8], "1609 (by core)");
        const text = markdown(probed, ["hit"], ["prod"]);
        assert.match(text, /busier than 70 % \(\+5 points for noise; at most 3 probes/);
        assert.match(text, /\| hit \| \(b\) [^|]+ \| 2000\/s: 87 % busy, p99 94\.8 ms; 1609\/s: 69 % busy, p99 12\.5 ms \| 1609 \(by core\) \|/);
        // Results recorded before the probes print no probe table.
        assert.doesNotMatch(markdown(base, ["hit"], ["prod"]), /probes \(rate/);
    });
});

describe("bench ceilings: the production server's answers, replayed", () => {
    const received = {
        "content-type": "application/json; charset=utf-8",
        "x-cache": "HIT",
        "x-request-id": "4b1e…",
        date: "Sun, 29 Nov 2026 13:00:00 GMT",
        connection: "keep-alive",
        "keep-alive": "timeout=65",
        "content-length": "40",
        "transfer-encoding": "chunked",
        vary: ["Accept-Encoding", "Origin"],
        "x-absent": undefined,
    };

    it("keeps the answer's own headers and drops those node:http writes per message", () => {
        assert.deepEqual(replayableHeaders(received), {
            "content-type": "application/json; charset=utf-8",
            "x-cache": "HIT",
            "x-request-id": "4b1e…",
            vary: "Accept-Encoding, Origin",
        });
        assert.deepEqual(replayableHeaders({ Date: "x", "X-Cache": "MISS" }), { "x-cache": "MISS" });
    });

    it("reads CEILING_ANSWERS back as written, placeholders when unset, and names a malformed path", () => {
        const answers = {
            hit: { body: '{"result":"0x1"}', headers: replayableHeaders(received) },
            miss: { body: "{}", headers: { "x-cache": "MISS" } },
            health: { body: '{"status":"ok"}', headers: {} },
        };
        assert.deepEqual(readCeilingAnswers(JSON.stringify(answers)), answers);
        assert.equal(readCeilingAnswers(undefined), PLACEHOLDER_ANSWERS);
        assert.equal(readCeilingAnswers(""), PLACEHOLDER_ANSWERS);
        assert.throws(() => readCeilingAnswers(JSON.stringify({ ...answers, miss: { body: "{}" } })), /CEILING_ANSWERS\.miss must be/);
        assert.throws(() => readCeilingAnswers(JSON.stringify({ ...answers, health: { body: "{}", headers: { n: 1 } } })), /CEILING_ANSWERS\.health must be/);
        assert.throws(() => readCeilingAnswers(JSON.stringify({ hit: answers.hit })), /CEILING_ANSWERS\.miss must be/);
        assert.throws(() => readCeilingAnswers("{hit:"), /CEILING_ANSWERS must be JSON/);
    });
});
