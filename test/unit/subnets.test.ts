import * as assert from "assert";
import * as fc from "fast-check";
import { cidrRange, MAX_AZS, parseCidr, planSubnets, VPC_CIDR } from "../../lib/subnets";

describe("subnet layout (lib/subnets)", () => {
    it("prod (3 AZs): three /24 public and three /19 private subnets", () => {
        assert.deepStrictEqual(planSubnets(3), {
            publicCidrs: ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"],
            privateCidrs: ["10.0.32.0/19", "10.0.64.0/19", "10.0.96.0/19"],
        });
    });

    it("property: every subnet is inside the VPC, aligned, and none overlap", () => {
        const [vpcFirst, vpcLast] = cidrRange(VPC_CIDR);
        fc.assert(
            fc.property(fc.integer({ min: 1, max: MAX_AZS }), (azCount) => {
                const plan = planSubnets(azCount);
                const all = [...plan.publicCidrs, ...plan.privateCidrs];
                const ranges = all.map(cidrRange);
                for (const cidr of all) {
                    const { base, prefix } = parseCidr(cidr);
                    if (base % 2 ** (32 - prefix) !== 0) return false;
                }
                for (const [a, b] of ranges) {
                    if (a < vpcFirst || b > vpcLast) return false;
                }
                for (let i = 0; i < ranges.length; i++) {
                    for (let j = i + 1; j < ranges.length; j++) {
                        if (ranges[i][0] <= ranges[j][1] && ranges[j][0] <= ranges[i][1]) return false;
                    }
                }
                return plan.publicCidrs.length === azCount && plan.privateCidrs.length === azCount;
            }),
        );
    });

    it("rejects AZ counts it cannot lay out", () => {
        assert.throws(() => planSubnets(0), /azCount/);
        assert.throws(() => planSubnets(MAX_AZS + 1), /azCount/);
        assert.throws(() => parseCidr("10.0.0.0"), /not an IPv4 CIDR/);
        assert.throws(() => parseCidr("300.0.0.0/16"), /not an IPv4 CIDR/);
    });
});
