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
        [[], /--stack = "\(missing\)": the name of a stack file/],
        [["--stack"], /--stack = "\(no value\)": a value after the option/],
        [["--stack", "dev", "--set", "replicas"], /--set = "replicas": key=value/],
        [["--stack", "dev", "--set", "=4"], /--set = "=4": key=value/],
        [["--stack", "dev", "--stak", "x"], /--stak = "--stak": one of --stack, --set/],
        [["--stack", "dev", "--against", "prod", "--emit-run"], /cannot be combined/],
        [["--stack", "dev", "--stack", "prod"], /--stack = "prod": the option once/],
    ];
    for (const [argv, message] of bad) {
        it(`rejects ${JSON.stringify(argv)} with usage`, () => {
            assert.throws(() => parsePlanArgs(argv), (e: Error) => e.name === "UsageError" && message.test(e.message) && /usage: npm run plan/.test(e.message));
        });
    }

    it("reports every problem at once, as the other tools do", () => {
        assert.throws(
            () => parsePlanArgs(["--stak", "dev", "--set", "replicas", "--against-set", "x"]),
            (e: Error) =>
                e.name === "UsageError" &&
                // The unknown --stak does not take "dev" as its value: "dev" is reported too.
                /^plan: 5 problems with the arguments:/.test(e.message) &&
                ["--stak", "(positional)", "--set", "--against-set", "--stack"].every((o) => e.message.includes(`  - ${o} = `)),
        );
    });

    it("takes --name=value as well as --name value", () => {
        assert.deepStrictEqual(parsePlanArgs(["--stack=prod", "--set=replicas=6"]).overrides, { replicas: "6" });
    });
});
