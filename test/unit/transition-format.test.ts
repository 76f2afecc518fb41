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
