import * as assert from "assert";
import * as fc from "fast-check";
import { isRecord as appIsRecord } from "../../app/lib/is-record";
import { isRecord } from "../../lib/is-record";
import { isRecord as policyIsRecord } from "../../policy/is-record";
import { propertyRuns } from "../support/property-runs";

// Three packages (program, app, policy pack), three copies of one guard: they must agree.
describe("isRecord (lib/, app/lib/ and policy/)", () => {
    it("accepts objects, refuses null, arrays and primitives", () => {
        for (const guard of [isRecord, appIsRecord, policyIsRecord]) {
            assert.deepStrictEqual(
                [{}, { a: 1 }, Object.create(null), new Map(), null, undefined, [], [1], "x", 1, true].map((v) => guard(v)),
                [true, true, true, true, false, false, false, false, false, false, false],
            );
        }
    });

    it("the three copies give the same verdict on any value", () => {
        fc.assert(
            fc.property(fc.anything(), (v) => isRecord(v) === appIsRecord(v) && isRecord(v) === policyIsRecord(v)),
            { numRuns: propertyRuns(500) },
        );
    });
});
