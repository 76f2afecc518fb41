import * as assert from "assert";
import { checkShutdownTiming, SHUTDOWN } from "../../lib/shutdown";

describe("shutdown timing (lib/shutdown)", () => {
    it("the fleet's timing is consistent: app exits before SIGKILL, ALB drains before the task dies", () => {
        assert.deepStrictEqual(checkShutdownTiming(SHUTDOWN), []);
    });
    const bad: Array<[string, Partial<typeof SHUTDOWN>, RegExp]> = [
        ["app bound past SIGKILL", { appShutdownMs: 30_000 }, /before SIGKILL/],
        ["drain longer than the stop timeout", { deregistrationDelaySeconds: 300 }, /could still route/],
        ["stop timeout above the Fargate maximum", { stopTimeoutSeconds: 121, appShutdownMs: 1000 }, /2–120s/],
    ];
    for (const [what, change, message] of bad) {
        it(`rejects ${what}`, () => {
            const problems = checkShutdownTiming({ ...SHUTDOWN, ...change });
            assert.ok(problems.some((p) => message.test(p)), problems.join("; "));
        });
    }
});
