/**
 * The offline plan prints the edge warnings (lib/edge.ts) that `pulumi preview` prints:
 * the program logs them, so any plan that runs the program shows them. Run through
 * `npm run plan` so the test follows the plan wherever its script lives.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..", "..");

function plan(...args: string[]): { status: number | null; output: string } {
    const r = spawnSync("npm", ["run", "--silent", "plan", "--", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", AWS_EC2_METADATA_DISABLED: "true" },
    });
    return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

describe("offline plan: edge warnings", function () {
    this.timeout(120_000);

    it("warns when a prod-like stack opts out of HTTPS with allowPlainHttp", () => {
        const r = plan("--stack", "prod", "--set", "domainName=", "--set", "hostedZoneName=", "--set", "allowPlainHttp=true");
        assert.strictEqual(r.status, 0, r.output);
        assert.match(r.output, /warning: .*webfleet:allowPlainHttp = true: this prod-like stack .* serves the gateway over plain HTTP/);
    });

    it("warns that prod still carries the shipped domain placeholder", () => {
        const r = plan("--stack", "prod");
        assert.strictEqual(r.status, 0, r.output);
        assert.match(r.output, /warning: .*webfleet:domainName = "gateway\.example\.com": a placeholder/);
        assert.doesNotMatch(r.output, /allowPlainHttp = true/);
    });

    it("says nothing for dev, which is not prod-like", () => {
        const r = plan("--stack", "dev");
        assert.strictEqual(r.status, 0, r.output);
        assert.doesNotMatch(r.output, /warning:/);
    });
});
