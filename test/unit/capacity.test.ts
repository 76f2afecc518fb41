import * as assert from "assert";
import * as fc from "fast-check";
import { propertyRuns } from "../support/property-runs";
import { CapacityInput, peakTasks, planCapacity } from "../../lib/capacity";

const base: CapacityInput = {
    replicas: 4,
    maxReplicas: 8,
    deploymentMaximumPercent: 200,
    dbMaxConnections: 410,
    dbReservedConnections: 10,
    dbPoolMaxPerTask: 50,
    dbPoolMinPerTask: 5,
};

/** Inputs across the whole valid config space (see lib/settings.ts ranges). */
const inputs = fc
    .record({
        replicas: fc.integer({ min: 1, max: 1000 }),
        extra: fc.integer({ min: 0, max: 1000 }),
        deploymentMaximumPercent: fc.integer({ min: 101, max: 200 }),
        dbMaxConnections: fc.integer({ min: 10, max: 262143 }),
        dbReservedConnections: fc.integer({ min: 3, max: 1000 }),
        dbPoolMaxPerTask: fc.integer({ min: 1, max: 10000 }),
        minShare: fc.integer({ min: 1, max: 10000 }),
    })
    .map(({ replicas, extra, minShare, ...rest }): CapacityInput => ({
        ...rest,
        replicas,
        maxReplicas: Math.min(1000, replicas + extra),
        dbPoolMinPerTask: Math.min(minShare, rest.dbPoolMaxPerTask),
    }));

describe("connection budget (lib/capacity)", () => {
    it("the seed's plan (4 × 500 on a db.t4g.medium) does not fit and says which keys to change", () => {
        const result = planCapacity({ ...base, maxReplicas: 4, dbPoolMaxPerTask: 500, dbPoolMinPerTask: 500 });
        assert.strictEqual(result.ok, false);
        if (result.ok) return;
        const keys = result.problems.map((p) => p.key);
        assert.ok(keys.includes("webfleet:dbMaxConnections"), keys.join());
        assert.ok(keys.includes("webfleet:dbPoolMinPerTask"), keys.join());
        const message = result.problems[0].allowed;
        assert.match(message, /peak tasks 8/);
        assert.match(message, /4010 connections/);
    });

    it("prod defaults: 8 replicas at most, 200 % deploys → 16 peak tasks × 25 + 10 = 410", () => {
        const result = planCapacity(base);
        assert.ok(result.ok);
        if (!result.ok) return;
        assert.deepStrictEqual(result.plan, {
            replicas: 4,
            maxReplicas: 8,
            peakTasks: 16,
            dbMaxConnections: 410,
            dbReservedConnections: 10,
            poolPerTask: 25,
            peakConnections: 410,
        });
    });

    it("caps the pool at dbPoolMaxPerTask when the database has room to spare", () => {
        const result = planCapacity({ ...base, dbMaxConnections: 5000 });
        assert.ok(result.ok && result.plan.poolPerTask === 50);
    });

    it("ECS rounds the deploy surge down: 3 replicas at 150 % → 4 peak tasks", () => {
        assert.strictEqual(peakTasks(3, 150), 4);
        assert.strictEqual(peakTasks(1, 199), 1);
        assert.strictEqual(peakTasks(8, 200), 16);
    });

    it("property: whenever a plan is returned, peak tasks × pool + reserved ≤ max_connections", () => {
        fc.assert(
            fc.property(inputs, (input) => {
                const result = planCapacity(input);
                if (!result.ok) return true;
                const p = result.plan;
                return (
                    p.peakTasks * p.poolPerTask + p.dbReservedConnections <= p.dbMaxConnections &&
                    p.peakConnections === p.peakTasks * p.poolPerTask + p.dbReservedConnections &&
                    p.peakTasks === Math.floor((input.maxReplicas * input.deploymentMaximumPercent) / 100)
                );
            }),
            { numRuns: propertyRuns(20000) },
        );
    });

    it("property: the pool is within [dbPoolMinPerTask, dbPoolMaxPerTask] and as large as the budget allows", () => {
        fc.assert(
            fc.property(inputs, (input) => {
                const result = planCapacity(input);
                if (!result.ok) return true;
                const pool = result.plan.poolPerTask;
                const oneMore = result.plan.peakTasks * (pool + 1) + input.dbReservedConnections;
                return (
                    pool >= input.dbPoolMinPerTask &&
                    pool <= input.dbPoolMaxPerTask &&
                    (pool === input.dbPoolMaxPerTask || oneMore > input.dbMaxConnections)
                );
            }),
            { numRuns: propertyRuns(20000) },
        );
    });

    it("property: it fails exactly when even the minimum pool cannot fit, and every suggested fix really fits", () => {
        fc.assert(
            fc.property(inputs, (input) => {
                const peak = peakTasks(input.maxReplicas, input.deploymentMaximumPercent);
                const fitsAtMinimum = peak * input.dbPoolMinPerTask + input.dbReservedConnections <= input.dbMaxConnections;
                const result = planCapacity(input);
                if (result.ok !== fitsAtMinimum) return false;
                if (result.ok) return true;
                for (const p of result.problems) {
                    const suggested = /at most (\d+)/.exec(p.allowed)?.[1];
                    if (suggested === undefined) continue;
                    const n = Number(suggested);
                    const fixed: CapacityInput =
                        p.key === "webfleet:maxReplicas"
                            ? { ...input, maxReplicas: n }
                            : p.key === "webfleet:replicas"
                            ? { ...input, replicas: n, maxReplicas: n }
                            : p.key === "webfleet:deploymentMaximumPercent"
                              ? { ...input, deploymentMaximumPercent: n }
                              : p.key === "webfleet:dbPoolMinPerTask"
                                ? { ...input, dbPoolMinPerTask: n }
                                : p.key === "webfleet:dbReservedConnections"
                                  ? { ...input, dbReservedConnections: n }
                                  : input;
                    if (!planCapacity(fixed).ok) return false;
                }
                const needed = /at least (\d+)/.exec(result.problems[0].allowed)?.[1];
                if (needed === undefined) {
                    // Only when no dbMaxConnections that RDS allows could hold it.
                    return /No dbMaxConnections can fit it/.test(result.problems[0].allowed) && !planCapacity({ ...input, dbMaxConnections: 262143 }).ok;
                }
                return planCapacity({ ...input, dbMaxConnections: Number(needed) }).ok;
            }),
            { numRuns: propertyRuns(20000) },
        );
    });
});
