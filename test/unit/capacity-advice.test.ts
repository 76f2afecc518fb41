/**
 * The budget's fix-it advice is itself checked: every value it suggests is the best one
 * that fits on its own AND that config validation accepts, and every key that could fix
 * the budget on its own is named. The oracle below searches value by value, independently
 * of lib/capacity's binary search.
 */
import * as assert from "assert";
import * as fc from "fast-check";
import { CapacityInput, MIN_RESERVED_CONNECTIONS, peakTasks } from "../../lib/capacity";
import { MAX_CONNECTIONS_LIMIT } from "../../lib/db-instance-classes";
import { ConfigProblem } from "../../lib/problems";
import { propertyRuns } from "../support/property-runs";
import { parseWith, problemsWith } from "../support/raw-config";

/** A capacity input and whether autoscaling is on (maxReplicas > replicas, else maxReplicas is 0 in config). */
interface Case {
    readonly input: CapacityInput;
    readonly autoscaling: boolean;
}

function rawOf({ input, autoscaling }: Case): Record<string, string> {
    return {
        replicas: String(input.replicas),
        maxReplicas: autoscaling ? String(input.maxReplicas) : "0",
        deploymentMaximumPercent: String(input.deploymentMaximumPercent),
        dbMaxConnections: String(input.dbMaxConnections),
        dbReservedConnections: String(input.dbReservedConnections),
        dbPoolMaxPerTask: String(input.dbPoolMaxPerTask),
        dbPoolMinPerTask: String(input.dbPoolMinPerTask),
    };
}

/** ECS must be able to start one new task during a deploy (the rule in lib/settings). */
function canDeploy(replicas: number, percent: number): boolean {
    return Math.floor((replicas * percent) / 100) >= replicas + 1;
}

/** The budget's definition: it fits when even the minimum pool fits at the peak (capacity.test.ts checks planCapacity agrees). */
const fits = (i: CapacityInput): boolean =>
    peakTasks(i.maxReplicas, i.deploymentMaximumPercent) * i.dbPoolMinPerTask + i.dbReservedConnections <= i.dbMaxConnections;

/** Largest v in [lo, from − 1] (scanning down) for which ok(v) holds. */
function bestBelow(from: number, lo: number, ok: (v: number) => boolean): number | undefined {
    for (let v = from - 1; v >= lo; v--) {
        if (ok(v)) return v;
    }
    return undefined;
}

/** What the advice should be, key by key, found by scanning every value. */
function expectedAdvice({ input, autoscaling }: Case): Map<string, number | "none"> {
    const advice = new Map<string, number | "none">();
    const needed = peakTasks(input.maxReplicas, input.deploymentMaximumPercent) * input.dbPoolMinPerTask + input.dbReservedConnections;
    advice.set("dbMaxConnections", needed <= MAX_CONNECTIONS_LIMIT ? needed : "none");
    const maxReplicas = autoscaling ? bestBelow(input.maxReplicas, input.replicas, (v) => fits({ ...input, maxReplicas: v })) : undefined;
    if (maxReplicas !== undefined) {
        advice.set("maxReplicas", maxReplicas);
    } else {
        const replicas = bestBelow(input.replicas, 1, (v) => canDeploy(v, input.deploymentMaximumPercent) && fits({ ...input, replicas: v, maxReplicas: v }));
        advice.set("replicas", replicas ?? "none");
    }
    const percent = bestBelow(input.deploymentMaximumPercent, 101, (v) => canDeploy(input.replicas, v) && fits({ ...input, deploymentMaximumPercent: v }));
    if (percent !== undefined) advice.set("deploymentMaximumPercent", percent);
    const poolMin = bestBelow(input.dbPoolMinPerTask, 1, (v) => fits({ ...input, dbPoolMinPerTask: v }));
    if (poolMin !== undefined) advice.set("dbPoolMinPerTask", poolMin);
    const reserved = bestBelow(input.dbReservedConnections, MIN_RESERVED_CONNECTIONS, (v) => fits({ ...input, dbReservedConnections: v }));
    if (reserved !== undefined) advice.set("dbReservedConnections", reserved);
    return advice;
}

/** The advice as given: key → the number it suggests, or "none" when it names no value. */
function givenAdvice(problems: readonly ConfigProblem[]): Map<string, number | "none"> {
    const advice = new Map<string, number | "none">();
    for (const p of problems) {
        const key = p.key.replace(/^webfleet:/, "");
        const n = /(?:to at least|to at most|with at most) (\d+)/.exec(p.allowed)?.[1];
        advice.set(key, n === undefined ? "none" : Number(n));
    }
    return advice;
}

/** The config with the advised change applied (replicas advice moves maxReplicas with it). */
function applied(c: Case, key: string, value: number): Record<string, string> {
    const raw = { ...rawOf(c), [key]: String(value) };
    if (key === "replicas" && c.autoscaling) raw.maxReplicas = String(value);
    return raw;
}

/** Valid configs (every key passes validation on its own), small enough to scan every value. */
const cases: fc.Arbitrary<Case> = fc
    .record({
        replicas: fc.integer({ min: 1, max: 40 }),
        extra: fc.integer({ min: 0, max: 40 }),
        percent: fc.integer({ min: 101, max: 200 }),
        dbMaxConnections: fc.oneof(fc.integer({ min: 10, max: 1500 }), fc.constant(MAX_CONNECTIONS_LIMIT)),
        reservedShare: fc.double({ min: 0, max: 1, noNaN: true }),
        dbPoolMaxPerTask: fc.integer({ min: 1, max: 300 }),
        minShare: fc.integer({ min: 1, max: 300 }),
        hugeMin: fc.boolean(),
    })
    .map(({ replicas, extra, percent, dbMaxConnections, reservedShare, dbPoolMaxPerTask, minShare, hugeMin }): Case => {
        const reserved = MIN_RESERVED_CONNECTIONS + Math.floor(reservedShare * (Math.min(dbMaxConnections, 1500) - 1 - MIN_RESERVED_CONNECTIONS));
        // The smallest percent that lets a deploy start a task, if the drawn one does not.
        const deployPercent = Math.max(percent, Math.ceil(((replicas + 1) * 100) / replicas));
        // hugeMin: pools so large that no dbMaxConnections can hold them.
        const poolMax = hugeMin ? 10000 : dbPoolMaxPerTask;
        const poolMin = hugeMin ? 10000 : Math.min(minShare, dbPoolMaxPerTask);
        const maxReplicas = Math.min(1000, replicas + extra);
        return {
            autoscaling: maxReplicas > replicas,
            input: {
                replicas,
                maxReplicas,
                deploymentMaximumPercent: deployPercent,
                dbMaxConnections,
                dbReservedConnections: reserved,
                dbPoolMaxPerTask: poolMax,
                dbPoolMinPerTask: poolMin,
            },
        };
    });

describe("connection budget advice (lib/capacity)", () => {
    it("property: every suggested value is the best that fits and passes validation, and every key that can fix it is named", () => {
        fc.assert(
            fc.property(cases, (c) => {
                const result = parseWith(rawOf(c));
                const fitsNow = fits(c.input);
                if (result.ok) {
                    assert.ok(fitsNow, "a budget that does not fit was accepted");
                    return;
                }
                assert.ok(!fitsNow, `valid config refused: ${JSON.stringify(result.problems)}`);
                assert.strictEqual(result.problems[0].key, "webfleet:dbMaxConnections");
                const given = givenAdvice(result.problems);
                assert.deepStrictEqual([...given].sort(), [...expectedAdvice(c)].sort());
                for (const [key, value] of given) {
                    if (value === "none") continue;
                    const fixed = parseWith(applied(c, key, value));
                    assert.ok(fixed.ok, `advice ${key} ${value} does not pass: ${fixed.ok ? "" : JSON.stringify(fixed.problems)}`);
                }
            }),
            { numRuns: propertyRuns(1000) },
        );
    });

    const budget = { replicas: "4", maxReplicas: "0", deploymentMaximumPercent: "200", dbMaxConnections: "50", dbReservedConnections: "10", dbPoolMaxPerTask: "50" };
    const adviceFor = (overrides: Record<string, string>): string[] => problemsWith({ ...budget, ...overrides }).map((p) => `${p.key}: ${p.allowed}`);

    // Regression: it suggested at most 2 reserved connections, which validation refuses (3 at least).
    it("suggests no dbReservedConnections below the 3 that validation requires", () => {
        // peak 8 × 6 + 10 = 58 > 50; reserved would have to be 2.
        const advice = adviceFor({ dbPoolMinPerTask: "6" });
        assert.ok(advice.length > 0);
        assert.ok(!advice.some((a) => a.startsWith("webfleet:dbReservedConnections")), advice.join("\n"));
        // Where 3 is enough, it is suggested: peak 8 × 5 + 10 = 50 > 45; 45 − 40 = 5.
        assert.ok(adviceFor({ dbMaxConnections: "45", dbPoolMinPerTask: "5" }).includes(
            "webfleet:dbReservedConnections: the budget would fit with at most 5 reserved, but keep at least 3 for superusers and RDS automation.",
        ));
    });

    // Regression: "lower replicas" named no value; it names the largest that fits and can still deploy.
    it("names the replica count that fits when maxReplicas cannot go low enough", () => {
        const advice = adviceFor({ dbPoolMinPerTask: "6" }); // at most 40 / 6 = 6 peak tasks → 3 replicas at 200 %
        assert.ok(advice.some((a) => a.startsWith("webfleet:replicas: even 4 replicas need 8 tasks during a deploy") && a.includes("lower replicas to at most 3 (and maxReplicas to at most 3, or 0)")), advice.join("\n"));
        assert.ok(!advice.some((a) => a.startsWith("webfleet:maxReplicas")), advice.join("\n"));
        assert.ok(parseWith({ ...budget, dbPoolMinPerTask: "6", replicas: "3" }).ok);
        assert.ok(!parseWith({ ...budget, dbPoolMinPerTask: "6", replicas: "4" }).ok);
    });

    it("says when no replica count fits instead of suggesting one that cannot deploy", () => {
        // 1 replica at 200 % needs 2 tasks × 21 + 10 = 52 > 50.
        const advice = adviceFor({ replicas: "1", dbPoolMinPerTask: "21", dbPoolMaxPerTask: "30" });
        assert.ok(advice.some((a) => a.startsWith("webfleet:replicas:") && a.includes("no replica count fits with deploymentMaximumPercent 200")), advice.join("\n"));
    });

    // Regression: it asked for a dbMaxConnections above the most RDS PostgreSQL allows.
    it("suggests no dbMaxConnections above 262143", () => {
        const advice = adviceFor({ replicas: "1000", dbPoolMaxPerTask: "200", dbPoolMinPerTask: "200", dbMaxConnections: "5000" });
        const first = advice[0];
        assert.match(first, /^webfleet:dbMaxConnections: the connection budget does not fit: peak tasks 2000 .* = 400010 connections, but dbMaxConnections is 5000\. No dbMaxConnections can fit it \(PostgreSQL on RDS allows up to 262143\)/);
        assert.doesNotMatch(first, /at least/);
    });

    it("suggests no deploymentMaximumPercent that leaves no room to deploy (124 % for 4 replicas)", () => {
        // maxReplicas 8: at most floor(45 / 5) = 9 peak tasks → 124 % would fit 8 replicas, but 4 replicas × 124 % = 4 tasks.
        const advice = adviceFor({ maxReplicas: "8", dbMaxConnections: "55", dbPoolMinPerTask: "5" });
        assert.ok(advice.includes("webfleet:maxReplicas: lower to at most 4 for the budget to fit (peak tasks would be 8)."), advice.join("\n"));
        assert.ok(!advice.some((a) => a.startsWith("webfleet:deploymentMaximumPercent")), advice.join("\n"));
        // With 5 replicas 124 % would deploy (floor(6.2) = 6), and it is the best.
        const five = adviceFor({ replicas: "5", maxReplicas: "8", dbMaxConnections: "55", dbPoolMinPerTask: "5" });
        assert.ok(five.includes("webfleet:deploymentMaximumPercent: lower to at most 124 for the budget to fit (deploys then replace tasks in smaller batches)."), five.join("\n"));
    });

    it("suggests each value at its exact edge (1 replica, 3 reserved, 262143 connections)", () => {
        // 40 usable / 20 = 2 peak tasks: one replica at 200 %.
        assert.ok(adviceFor({ replicas: "1", maxReplicas: "5", dbPoolMinPerTask: "20" }).includes("webfleet:maxReplicas: lower to at most 1 for the budget to fit (peak tasks would be 2)."));
        assert.ok(adviceFor({ replicas: "3", dbPoolMinPerTask: "20" }).some((a) => a.includes("lower replicas to at most 1 (and maxReplicas to at most 1, or 0)")));
        // 8 peak tasks × 5 = 40; 43 − 40 = 3 reserved is still allowed.
        assert.ok(adviceFor({ dbMaxConnections: "43", dbPoolMinPerTask: "5" }).includes(
            "webfleet:dbReservedConnections: the budget would fit with at most 3 reserved, but keep at least 3 for superusers and RDS automation.",
        ));
        // 2000 peak tasks × 131 + 143 = 262143, the most RDS allows: still suggested.
        const [first] = adviceFor({ replicas: "1000", dbPoolMaxPerTask: "131", dbPoolMinPerTask: "131", dbReservedConnections: "143", dbMaxConnections: "5000" });
        assert.match(first, /Raise dbMaxConnections to at least 262143 \(or choose a larger dbInstanceClass\)/);
    });

    it("suggests 101 % when that is the most that fits and still deploys (100 replicas)", () => {
        // 100 replicas at 102 %: 102 tasks × 1 + 10 = 112 > 111; 101 % gives 101 tasks, and 101 > 100 can deploy.
        const advice = adviceFor({ replicas: "100", deploymentMaximumPercent: "102", dbMaxConnections: "111", dbPoolMinPerTask: "1" });
        assert.ok(advice.includes("webfleet:deploymentMaximumPercent: lower to at most 101 for the budget to fit (deploys then replace tasks in smaller batches)."), advice.join("\n"));
        assert.ok(advice.some((a) => a.includes("lower replicas to at most 99 (and maxReplicas to at most 99, or 0)")), advice.join("\n"));
    });

    it("a pool of exactly one connection per task is a plan", () => {
        // 8 peak tasks, 18 − 10 = 8 usable: one each.
        const plan = parseWith({ ...budget, dbMaxConnections: "18", dbPoolMinPerTask: "1" });
        assert.ok(plan.ok && plan.capacity.poolPerTask === 1 && plan.capacity.peakConnections === 18);
        assert.ok(!parseWith({ ...budget, dbMaxConnections: "17", dbPoolMinPerTask: "1" }).ok);
    });

    it("suggests maxReplicas exactly at the edge: one more would not fit", () => {
        // 40 usable / 5 = 8 peak tasks → maxReplicas 4 at 200 %; 5 would need 10.
        const advice = adviceFor({ replicas: "2", maxReplicas: "8", dbPoolMinPerTask: "5" });
        assert.ok(advice.includes("webfleet:maxReplicas: lower to at most 4 for the budget to fit (peak tasks would be 8)."), advice.join("\n"));
        assert.ok(advice.includes("webfleet:dbPoolMinPerTask: lower to at most 2 for the budget to fit, if tasks can work with that few connections."), advice.join("\n"));
        // 112 % would fit 8 replicas, but 2 replicas need 150 % to deploy at all.
        assert.ok(!advice.some((a) => a.startsWith("webfleet:deploymentMaximumPercent")), advice.join("\n"));
        assert.strictEqual(advice[0], "webfleet:dbMaxConnections: the connection budget does not fit: peak tasks 16 (maxReplicas 8 × deploymentMaximumPercent 200 / 100, rounded down) × dbPoolMinPerTask 5 + dbReservedConnections 10 = 90 connections, but dbMaxConnections is 50. Raise dbMaxConnections to at least 90 (or choose a larger dbInstanceClass), or change one of the keys below.");
    });
});
