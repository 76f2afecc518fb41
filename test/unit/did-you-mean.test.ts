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
        assert.strictEqual(didYouMean("replica", keys), "; did you mean 'replicas'?");
    });
});

describe("did you mean: the edges of 'close enough'", () => {
    it("allows max(1, a third of the name's length) edits, not one more", () => {
        // 5 letters: floor(5/3) = 1 edit.
        assert.strictEqual(closest("abcde", ["abcdX"]), "abcdX");
        assert.strictEqual(closest("abcde", ["abcXY"]), undefined);
        // 6 letters: 2 edits.
        assert.strictEqual(closest("abcdef", ["abcdXY"]), "abcdXY");
        assert.strictEqual(closest("abcdef", ["abcXYZ"]), undefined);
        // Short names still get 1 edit.
        assert.strictEqual(closest("ab", ["aX"]), "aX");
        assert.strictEqual(closest("a", ["b"]), "b");
        assert.strictEqual(closest("ab", ["XY"]), undefined);
    });

    it("the closest wins whatever the order; an equally close later name does not replace the first", () => {
        assert.strictEqual(closest("abcdef", ["abcdXY", "abcdeX"]), "abcdeX");
        assert.strictEqual(closest("abcdef", ["abcdeX", "abcdXY"]), "abcdeX");
        assert.strictEqual(closest("abcdef", ["abcdeX", "abcdeY"]), "abcdeX");
        assert.strictEqual(closest("abcdef", []), undefined);
    });

    it("counts edits in the middle, at both ends and across different lengths", () => {
        assert.strictEqual(editDistance("abc", ""), 3);
        assert.strictEqual(editDistance("abc", "abd"), 1);
        assert.strictEqual(editDistance("abc", "xbc"), 1);
        assert.strictEqual(editDistance("abc", "ac"), 1);
        assert.strictEqual(editDistance("ab", "ba"), 2);
        assert.strictEqual(editDistance("ABC", "abd"), 1);
    });
});
