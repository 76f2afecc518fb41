import * as assert from "assert";
import * as fc from "fast-check";
import { closest, didYouMean, editDistance } from "../../lib/did-you-mean";

describe("did you mean (lib/did-you-mean)", () => {
    it("counts inserts, deletes and substitutions, ignoring case", () => {
        assert.strictEqual(editDistance("replica", "replicas"), 1);
        assert.strictEqual(editDistance("cpus", "cpu"), 1);
        assert.strictEqual(editDistance("Replicas", "replicas"), 0);
        assert.strictEqual(editDistance("kitten", "sitting"), 3);
        assert.strictEqual(editDistance("", "abc"), 3);
    });

    it("property: a metric (zero on itself, symmetric, triangle inequality)", () => {
        const word = fc.string({ maxLength: 8 });
        fc.assert(
            fc.property(word, word, word, (a, b, c) => {
                assert.strictEqual(editDistance(a, a), 0);
                assert.strictEqual(editDistance(a, b), editDistance(b, a));
                assert.ok(editDistance(a, c) <= editDistance(a, b) + editDistance(b, c));
            }),
        );
    });

    it("suggests a close key and nothing for an unrelated one", () => {
        const keys = ["replicas", "maxReplicas", "cpu", "memory", "dbMultiAz", "cacheMultiAz"];
        assert.strictEqual(closest("replica", keys), "replicas");
        assert.strictEqual(closest("maxReplica", keys), "maxReplicas");
        assert.strictEqual(closest("dbMultiAZ", keys), "dbMultiAz");
        assert.strictEqual(closest("foo", keys), undefined);
        assert.strictEqual(didYouMean("replica", keys, (k) => `webfleet:${k}`), "; did you mean 'webfleet:replicas'?");
        assert.strictEqual(didYouMean("foo", keys), "");
    });
});
