import * as assert from "assert";
import { parsePlanArgs } from "../../../tools/plan/args";

describe("offline plan: arguments", () => {
    it("reads --stack, repeated --set and --json", () => {
        assert.deepStrictEqual(parsePlanArgs(["--stack", "prod", "--set", "replicas=6", "--set", "aws:region=eu-west-1", "--json"]), {
            stack: "prod",
            overrides: { replicas: "6", "aws:region": "eu-west-1" },
            json: true,
            resources: false,
            help: false,
            emitRun: false,
        });
    });

    it("keeps '=' inside a value", () => {
        assert.deepStrictEqual(parsePlanArgs(["--stack", "dev", "--set", "certificateArn=a=b"]).overrides, { certificateArn: "a=b" });
    });

    it("compares against the same stack by default when only --against-set is given", () => {
        assert.deepStrictEqual(parsePlanArgs(["--stack", "prod", "--against-set", "replicas=4"]).against, { stack: "prod", overrides: { replicas: "4" } });
        assert.deepStrictEqual(parsePlanArgs(["--stack", "prod", "--against", "dev"]).against, { stack: "dev", overrides: {} });
    });

    it("--json and --resources combine with --against; --help needs nothing else", () => {
        const a = parsePlanArgs(["--stack", "prod", "--against", "dev", "--json", "--resources"]);
        assert.strictEqual(a.json && a.resources, true);
        assert.deepStrictEqual(a.against, { stack: "dev", overrides: {} });
        assert.strictEqual(parsePlanArgs(["--help"]).help, true);
        assert.strictEqual(parsePlanArgs(["-h"]).help, true);
    });

    const bad: [string[], RegExp][] = [
        [[], /--stack is required/],
        [["--stack"], /--stack needs a value/],
        [["--stack", "dev", "--set", "replicas"], /--set needs key=value, got "replicas"/],
        [["--stack", "dev", "--set", "=4"], /--set needs key=value/],
        [["--stack", "dev", "--stak", "x"], /unknown argument "--stak"/],
        [["--stack", "dev", "--against", "prod", "--emit-run"], /cannot be combined/],
    ];
    for (const [argv, message] of bad) {
        it(`rejects ${JSON.stringify(argv)} with usage`, () => {
            assert.throws(() => parsePlanArgs(argv), (e: Error) => e.name === "UsageError" && message.test(e.message) && /usage: npm run plan/.test(e.message));
        });
    }
});
