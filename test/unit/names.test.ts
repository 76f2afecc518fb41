import * as assert from "assert";
import * as fc from "fast-check";
import { propertyRuns } from "../support/property-runs";
import { autonameFits, databaseName, isValidAwsIdentifier, LONGEST_SUFFIX, MAX_PREFIX_LENGTH, NAME_LIMITS, resourcePrefix } from "../../lib/names";

/** Pulumi stack names: letters, digits, hyphens, underscores, periods; up to 100 chars. */
const stackNames = fc.stringMatching(/^[A-Za-z0-9._-]{1,100}$/);

describe("names within AWS limits (lib/names)", () => {
    it("keeps short stack names readable", () => {
        assert.strictEqual(resourcePrefix("webfleet", "prod"), "webfleet-prod");
        assert.strictEqual(resourcePrefix("webfleet", "dev"), "webfleet-dev");
        assert.strictEqual(resourcePrefix("webfleet", "qa_1.2"), "webfleet-qa-1-2");
        assert.match(resourcePrefix("webfleet", "Feature_X.long"), /^feature-x-l-[0-9a-f]{4}$/);
    });

    it("property: any stack name gives a prefix that is a valid AWS identifier and leaves room for every role", () => {
        fc.assert(
            fc.property(stackNames, (stack) => {
                const prefix = resourcePrefix("webfleet", stack);
                return (
                    prefix.length <= MAX_PREFIX_LENGTH &&
                    isValidAwsIdentifier(prefix, MAX_PREFIX_LENGTH) &&
                    prefix === prefix.toLowerCase() &&
                    autonameFits("aws:lb/loadBalancer:LoadBalancer", `${prefix}${LONGEST_SUFFIX}`) &&
                    isValidAwsIdentifier(`${prefix}-cache-rg-abc1234`, NAME_LIMITS["aws:elasticache/replicationGroup:ReplicationGroup"]) &&
                    /^[a-zA-Z][a-zA-Z0-9_]*$/.test(databaseName(prefix))
                );
            }),
            { numRuns: propertyRuns(5000) },
        );
    });

    it("property: two different long stack names never share a prefix", () => {
        fc.assert(
            fc.property(fc.stringMatching(/^[a-z0-9]{21,60}$/), fc.stringMatching(/^[a-z0-9]{21,60}$/), (a, b) => {
                fc.pre(a !== b);
                return resourcePrefix("webfleet", a) !== resourcePrefix("webfleet", b);
            }),
        );
    });

    it("validates identifiers the way RDS and ElastiCache do", () => {
        assert.ok(isValidAwsIdentifier("webfleet-prod-db", 63));
        for (const bad of ["", "1abc", "a--b", "abc-", "a_b", "a".repeat(64)]) {
            assert.ok(!isValidAwsIdentifier(bad, 63), bad);
        }
    });
});
