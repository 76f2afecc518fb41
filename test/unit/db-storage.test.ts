import * as assert from "assert";
import * as fc from "fast-check";
import { RDS_POSTGRES_MAX_STORAGE_GB, storageCeilingGb } from "../../lib/db-storage";

describe("RDS storage ceiling (lib/db-storage)", () => {
    it("5 × allocated while that fits: 20 → 100, 1000 → 5000", () => {
        assert.strictEqual(storageCeilingGb(20), 100);
        assert.strictEqual(storageCeilingGb(1000), 5000);
    });

    it("never above RDS's 65,536 GiB: 20,000 → 65,536 (5 × would be 100,000)", () => {
        assert.strictEqual(storageCeilingGb(20000), RDS_POSTGRES_MAX_STORAGE_GB);
    });

    it("off when the ceiling cannot be 10 % above the allocated storage: 60,000 and 65,536", () => {
        assert.strictEqual(storageCeilingGb(59578), 65536);
        assert.strictEqual(storageCeilingGb(59579), undefined);
        assert.strictEqual(storageCeilingGb(65536), undefined);
    });

    it("property: every allowed allocation gives no ceiling, or one RDS accepts", () => {
        fc.assert(
            fc.property(fc.integer({ min: 20, max: 65536 }), (allocated) => {
                const ceiling = storageCeilingGb(allocated);
                if (ceiling !== undefined) {
                    assert.ok(ceiling <= RDS_POSTGRES_MAX_STORAGE_GB && ceiling >= allocated * 1.1 && ceiling <= allocated * 5);
                } else {
                    assert.ok(Math.min(allocated * 5, RDS_POSTGRES_MAX_STORAGE_GB) < allocated * 1.1);
                }
            }),
        );
    });
});
