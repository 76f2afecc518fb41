/**
 * A bad config must stop the program before any resource exists, with one message that
 * names every bad key. Runs in its own process (WEBFLEET_STACK + WEBFLEET_OVERRIDES, and WEBFLEET_UNCHECKED for
 * config that reaches the program past the CLI's checks).
 */
import * as assert from "assert";
import { ConfigError } from "../../lib/problems";
import { RecordingMocks } from "../../tools/mock-runner/mocks";
import { programTarget } from "../../tools/mock-runner/program-target";
import { runProgram } from "../../tools/mock-runner/run-program";

const target = programTarget();

describe(`program under mocks rejects bad config: ${target.label}`, function () {
    this.timeout(60000);
    it("fails with a ConfigError naming each bad key, before creating any resource", async () => {
        const created: string[] = [];
        const original = RecordingMocks.prototype.newResource;
        RecordingMocks.prototype.newResource = function (args) {
            // The root stack resource exists before the program runs, as under the CLI.
            if (args.type !== "pulumi:pulumi:Stack") created.push(`${args.type} ${args.name}`);
            return original.call(this, args);
        };
        let failure: unknown;
        try {
            await runProgram(target.stack, target.overrides, { unchecked: target.unchecked, previousOutputs: target.previousOutputs });
        } catch (e) {
            failure = e;
        }
        assert.ok(failure instanceof ConfigError, `expected a ConfigError, got ${String(failure)}`);
        const expectedKeys = (process.env["WEBFLEET_EXPECT_KEYS"] ?? "").split(",").filter(Boolean);
        assert.ok(expectedKeys.length > 0, "WEBFLEET_EXPECT_KEYS must list the keys the message should name");
        for (const key of expectedKeys) assert.ok(failure.message.includes(`${key} = `), `message does not name ${key}:\n${failure.message}`);
        // WEBFLEET_EXPECT_TEXT: further words the message must hold, e.g. the keys that fix it.
        for (const text of (process.env["WEBFLEET_EXPECT_TEXT"] ?? "").split(",").filter(Boolean)) {
            assert.ok(failure.message.includes(text), `message does not say ${text}:\n${failure.message}`);
        }
        if (target.previousOutputs === undefined) {
            assert.deepStrictEqual(created, [], "no resource may be created when config is invalid");
        } else {
            // Refused against the deployed plan, which is read asynchronously: what the plan
            // decides (the database, the tasks' pool) must never be registered.
            const decided = created.filter((c) => /^aws:(rds\/instance:Instance|rds\/parameterGroup:ParameterGroup|ecs\/taskDefinition:TaskDefinition) /.test(c));
            assert.deepStrictEqual(decided, [], "nothing the refused plan decides may be registered");
        }
    });
});
