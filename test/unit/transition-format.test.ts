import * as assert from "assert";
import { formatTransition, readTransition } from "../../lib/transition-format";
import { capacityOutput, DeployedPlan, planTransition, TransitionInput } from "../../lib/transition";
import { prodDeployed, prodSettings } from "../support/rollout";

function output(from: DeployedPlan | undefined, next: TransitionInput): unknown {
    const result = planTransition(from, next);
    assert.ok(result.ok);
    return result.ok ? JSON.parse(JSON.stringify(capacityOutput(next, result.plan))) : undefined;
}

describe("transition lines for the offline plan (lib/transition-format)", () => {
    it("a class change: pool this up, target after the reboot, peak against the live limit, the pending reboot", () => {
        const next = { ...prodSettings, dbInstanceClass: "db.t4g.large", dbMaxConnections: 850 };
        const view = readTransition(output(prodDeployed, next));
        assert.ok(view);
        const lines = formatTransition(view, "prod");
        assert.strictEqual(lines[0], "Change — from the deployed plan (prod)");
        assert.match(lines[1], /pool this up sets\s+25\s+target 50 \(1 more `up`, after the reboot\)/);
        assert.match(lines[2], /peak during change\s+410 ≤ live max_connections 410/);
        assert.match(lines[3], /pending reboot\s+max_connections 850 is in the parameter group; live stays 410/);
        assert.ok(lines.some((l) => /note: .*SHOW max_connections/.test(l)), "says what the app does meanwhile");
    });

    it("a steady config says the target is reached, with no notes", () => {
        const view = readTransition(output(prodDeployed, prodSettings));
        assert.ok(view);
        assert.deepStrictEqual(formatTransition(view, undefined).slice(1), ["  pool this up sets   25   target 25 (reached)", "  peak during change  410 ≤ live max_connections 410"]);
    });

    it("a first deploy, and outputs written before the transition existed", () => {
        const view = readTransition(output(undefined, prodSettings));
        assert.ok(view);
        assert.match(formatTransition(view, undefined)[0], /first deploy/);
        assert.strictEqual(readTransition({ poolPerTask: 25, dbMaxConnections: 410 }), undefined);
        assert.strictEqual(readTransition(undefined), undefined);
    });
});

describe("transition lines at the edges (lib/transition-format)", () => {
    const view = {
        firstDeploy: false,
        poolPerTask: 20,
        targetPoolPerTask: 25,
        remainingUps: 2,
        peakDuringChange: 400,
        liveMaxConnections: 410,
        dbMaxConnections: 410,
        waitsForReboot: false,
        notes: ["first note", "second note"],
    };
    const output = {
        poolPerTask: 20,
        dbMaxConnections: 850,
        dbMaxConnectionsLive: 410,
        transition: { firstDeploy: false, targetPoolPerTask: 25, remainingUps: 2, peakDuringChange: 400, waitsForReboot: true, notes: ["a", 7, "b"] },
    };

    it("reads every field of the output, keeping only string notes", () => {
        assert.deepStrictEqual(readTransition(output), { ...view, dbMaxConnections: 850, waitsForReboot: true, notes: ["a", "b"] });
        assert.deepStrictEqual(readTransition({ ...output, transition: { ...output.transition, firstDeploy: true, waitsForReboot: false, notes: "a" } }), {
            ...view,
            dbMaxConnections: 850,
            firstDeploy: true,
            notes: [],
        });
    });

    it("an output missing any one figure, or holding it as text, has no transition to show", () => {
        for (const key of ["poolPerTask", "dbMaxConnections", "dbMaxConnectionsLive"]) {
            assert.strictEqual(readTransition({ ...output, [key]: undefined }), undefined, key);
            assert.strictEqual(readTransition({ ...output, [key]: "25" }), undefined, key);
        }
        for (const key of ["targetPoolPerTask", "remainingUps", "peakDuringChange"]) {
            assert.strictEqual(readTransition({ ...output, transition: { ...output.transition, [key]: undefined } }), undefined, key);
        }
        // A figure that is no finite number (never written by the program) is not shown as "Infinity".
        for (const bad of [Infinity, -Infinity, NaN]) {
            assert.strictEqual(readTransition({ ...output, poolPerTask: bad }), undefined, String(bad));
            assert.strictEqual(readTransition({ ...output, transition: { ...output.transition, peakDuringChange: bad } }), undefined, String(bad));
        }
        for (const broken of [null, [], "plan", 7, { ...output, transition: null }, { ...output, transition: [1] }]) {
            assert.strictEqual(readTransition(broken), undefined, JSON.stringify(broken));
        }
    });

    it("titles: the stack compared against, or none; counts more `up`s in words", () => {
        assert.deepStrictEqual(formatTransition(view, undefined), [
            "Change — from the deployed plan",
            "  pool this up sets   20   target 25 (2 more `up`s)",
            "  peak during change  400 ≤ live max_connections 410",
            "  note: first note",
            "  note: second note",
        ]);
        assert.strictEqual(formatTransition({ ...view, remainingUps: 1 }, "dev")[1], "  pool this up sets   20   target 25 (1 more `up`)");
        assert.strictEqual(formatTransition({ ...view, firstDeploy: true }, "dev")[0], "Change — first deploy (nothing deployed): the plan above is set at once");
    });

    it("a peak above the live limit reads as such; a pending reboot says what waits, and the pool reaches its target after it", () => {
        assert.strictEqual(formatTransition({ ...view, peakDuringChange: 411 }, undefined)[2], "  peak during change  411 > live max_connections 410");
        assert.strictEqual(formatTransition({ ...view, peakDuringChange: 410 }, undefined)[2], "  peak during change  410 ≤ live max_connections 410");
        const waiting = formatTransition({ ...view, waitsForReboot: true, dbMaxConnections: 850, notes: [] }, undefined);
        assert.deepStrictEqual(waiting.slice(1), [
            "  pool this up sets   20   target 25 (2 more `up`s, after the reboot)",
            "  peak during change  400 ≤ live max_connections 410",
            "  pending reboot      max_connections 850 is in the parameter group; live stays 410 until a confirmed reboot",
        ]);
        // Pool already at its target: nothing about it waits for the reboot.
        assert.strictEqual(formatTransition({ ...view, waitsForReboot: true, poolPerTask: 25, remainingUps: 1 }, undefined)[1], "  pool this up sets   25   target 25 (1 more `up`)");
    });
});
