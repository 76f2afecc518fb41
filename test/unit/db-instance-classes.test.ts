import * as assert from "assert";
import { instanceMemoryGib, knownInstanceClasses, safeMaxConnections } from "../../lib/db-instance-classes";

describe("safe max_connections per RDS class (lib/db-instance-classes)", () => {
    const expected: Array<[string, number]> = [
        ["db.t4g.micro", 85],
        ["db.t4g.small", 190],
        ["db.t4g.medium", 410],
        ["db.t4g.large", 850],
        ["db.m7g.large", 850],
        ["db.m7g.xlarge", 1700],
        ["db.r7g.large", 1700],
        ["db.r7g.xlarge", 3400],
        ["db.m7g.2xlarge", 3400],
        ["db.r7g.2xlarge", 5000],
        ["db.r6g.16xlarge", 5000],
    ];
    for (const [cls, connections] of expected) {
        it(`${cls} → ${connections}`, () => assert.strictEqual(safeMaxConnections(cls), connections));
    }

    it("never exceeds RDS's own default LEAST(memory / 9531392, 5000) for the nominal memory", () => {
        for (const cls of knownInstanceClasses()) {
            const gib = instanceMemoryGib(cls);
            assert.ok(gib !== undefined);
            const rdsDefault = Math.min(Math.floor((gib * 1024 ** 3) / 9531392), 5000);
            const safe = safeMaxConnections(cls);
            assert.ok(safe !== undefined && safe <= rdsDefault, `${cls}: ${safe} > ${rdsDefault}`);
        }
    });

    it("grows with memory", () => {
        const classes = knownInstanceClasses().sort((a, b) => (instanceMemoryGib(a) ?? 0) - (instanceMemoryGib(b) ?? 0));
        for (let i = 1; i < classes.length; i++) {
            assert.ok((safeMaxConnections(classes[i]) ?? 0) >= (safeMaxConnections(classes[i - 1]) ?? 0));
        }
    });

    it("knows nothing of unknown classes, so the user must set dbMaxConnections", () => {
        for (const cls of ["db.x2g.large", "db.t4g.nano", "t4g.medium", "db.t4g", "", "db.T4G.MEDIUM"]) {
            assert.strictEqual(safeMaxConnections(cls), undefined, cls);
        }
    });
});
