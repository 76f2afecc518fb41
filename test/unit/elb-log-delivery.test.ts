import * as assert from "assert";
import * as fc from "fast-check";
import { accessLogBucketPolicy, ELB_ACCOUNT_IDS, LOG_DELIVERY_SERVICE, logDeliveryPrincipal, partitionOf } from "../../lib/elb-log-delivery";

describe("ALB access-log delivery principal and bucket policy (lib/elb-log-delivery)", () => {
    // Regions available before August 2022: the region's Elastic Load Balancing account
    // (AWS, "Enable access logs for your Application Load Balancer").
    const accountRegions: Array<[string, string]> = [
        ["us-east-1", "arn:aws:iam::127311923021:root"],
        ["eu-west-1", "arn:aws:iam::156460612806:root"],
        ["ap-southeast-3", "arn:aws:iam::589379963580:root"],
        ["us-gov-west-1", "arn:aws-us-gov:iam::048591011584:root"],
        ["cn-north-1", "arn:aws-cn:iam::638102146993:root"],
    ];
    for (const [region, arn] of accountRegions) {
        it(`${region} (before August 2022): the ELB account ${arn}`, () => {
            assert.deepStrictEqual(logDeliveryPrincipal(region), { AWS: arn });
        });
    }

    // Regions available as of August 2022 or later: the log-delivery service principal.
    for (const region of ["me-central-1", "eu-central-2", "eu-south-2", "ap-south-2", "ap-southeast-4", "il-central-1", "ca-west-1", "mx-central-1"]) {
        it(`${region} (August 2022 or later): the service principal`, () => {
            assert.deepStrictEqual(logDeliveryPrincipal(region), { Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
        });
    }

    it("the table holds the 26 regions AWS lists, each with a 12-digit account, no account twice", () => {
        const accounts = Object.values(ELB_ACCOUNT_IDS);
        assert.strictEqual(accounts.length, 26);
        assert.ok(accounts.every((a) => /^\d{12}$/.test(a)));
        assert.strictEqual(new Set(accounts).size, accounts.length);
    });

    it("partitions: aws, aws-cn, aws-us-gov", () => {
        assert.deepStrictEqual(["us-east-1", "cn-northwest-1", "us-gov-east-1", "ap-southeast-4"].map(partitionOf), ["aws", "aws-cn", "aws-us-gov", "aws"]);
    });

    it("the policy allows exactly PutObject under <prefix>/AWSLogs/<account>/ and denies plain HTTP", () => {
        const doc = accessLogBucketPolicy({ bucketName: "logs-1", accountId: "123456789012", region: "us-east-1", prefix: "alb" });
        assert.deepStrictEqual(doc, {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowLoadBalancerLogDelivery",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::127311923021:root" },
                    Action: "s3:PutObject",
                    Resource: "arn:aws:s3:::logs-1/alb/AWSLogs/123456789012/*",
                },
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: ["arn:aws:s3:::logs-1", "arn:aws:s3:::logs-1/*"],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ],
        });
    });

    it("property: every region gets exactly one principal — its table account, or the service — and ARNs in its partition", () => {
        const region = fc.oneof(
            fc.constantFrom(...Object.keys(ELB_ACCOUNT_IDS)),
            fc.tuple(fc.constantFrom("us", "eu", "ap", "me", "il", "mx", "ca", "cn", "us-gov"), fc.constantFrom("east", "west", "central", "south", "southeast"), fc.integer({ min: 1, max: 9 })).map(
                ([a, b, n]) => `${a}-${b}-${n}`,
            ),
        );
        fc.assert(
            fc.property(region, (r) => {
                const principal = logDeliveryPrincipal(r);
                const account = ELB_ACCOUNT_IDS[r];
                const doc = JSON.stringify(accessLogBucketPolicy({ bucketName: "b", accountId: "111122223333", region: r, prefix: "alb" }));
                if (account === undefined) {
                    return "Service" in principal && principal.Service === LOG_DELIVERY_SERVICE && !doc.includes(":root");
                }
                return "AWS" in principal && principal.AWS === `arn:${partitionOf(r)}:iam::${account}:root` && doc.includes(`arn:${partitionOf(r)}:s3:::b/alb/AWSLogs/111122223333/*`);
            }),
        );
    });
});
