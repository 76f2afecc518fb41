/**
 * The pack against the program itself: every stack file's resources, as recorded under
 * mocks, pass every policy. Each stack runs in its own process.
 */
import * as assert from "assert";
import * as path from "path";
import { lastJsonLine, launchSync } from "../../tools/mock-runner/launch";

function violationsFor(stack: string, overrides: Record<string, string> = {}): string[] {
    const r = launchSync({ script: path.join(__dirname, "policies-on-program.ts"), args: [stack, JSON.stringify(overrides)] });
    assert.strictEqual(r.status, 0, r.stderr);
    const parsed = lastJsonLine(r.stdout);
    assert.ok(Array.isArray(parsed), `no result from the ${stack} run:\n${r.stdout}`);
    return parsed.map(String);
}

describe("the policy pack on the program under mocks", function () {
    this.timeout(120_000);
    for (const stack of ["dev", "prod"]) {
        it(`stack ${stack} violates no policy`, () => {
            assert.deepStrictEqual(violationsFor(stack), []);
        });
    }

    it("prod as it was (plain HTTP on port 80, no access logs) is rejected by https-listeners and alb-access-logs", () => {
        const found = violationsFor("prod", { domainName: "", hostedZoneName: "", allowPlainHttp: "true", accessLogs: "false" });
        assert.deepStrictEqual(found.map((v) => v.split(":")[0]).sort(), ["alb-access-logs", "https-listeners"]);
        assert.match(found.find((v) => v.startsWith("https-listeners")) ?? "", /port 80\) of internet-facing load balancer webfleet-prod-web-alb in prod-like stack "prod" serves plain HTTP \(default actions: forward\)/);
    });
});
