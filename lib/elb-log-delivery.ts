/**
 * Who writes an Application Load Balancer's access logs into S3, per region, and the
 * bucket policy that lets it. Pure: no Pulumi import, tested without mocks.
 *
 * AWS, "Enable access logs for your Application Load Balancer", step 2 "Attach a policy
 * to your S3 bucket" (docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html):
 * - Regions available before August 2022: grant s3:PutObject to the Elastic Load
 *   Balancing account of that region (`arn:aws:iam::<elb-account-id>:root`);
 * - Regions available as of August 2022 or later: grant it to the service principal
 *   `logdelivery.elasticloadbalancing.amazonaws.com`.
 * The account ids below are the ones AWS lists there; the same table is in
 * terraform-provider-aws (internal/service/elb/service_account_data_source.go, the
 * `aws_elb_service_account` data source). Every region not in it (me-central-1,
 * eu-central-2, eu-south-2, ap-south-2, ap-southeast-4, il-central-1, ca-west-1 and later
 * ones) launched after that date and takes the service principal.
 */

/** The ELB account per region launched before August 2022. */
export const ELB_ACCOUNT_IDS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-south-1": "718504428378",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-south-1": "635631232127",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
};

export const LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

export type LogDeliveryPrincipal = { readonly AWS: string } | { readonly Service: string };

/** The ARN partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
    if (region.startsWith("cn-")) {
        return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
        return "aws-us-gov";
    }
    return "aws";
}

/** The principal that delivers ALB access logs in `region`. */
export function logDeliveryPrincipal(region: string): LogDeliveryPrincipal {
    const account = ELB_ACCOUNT_IDS[region];
    return account === undefined ? { Service: LOG_DELIVERY_SERVICE } : { AWS: `arn:${partitionOf(region)}:iam::${account}:root` };
}

export interface AccessLogPolicyArgs {
    readonly bucketName: string;
    /** The account that owns the load balancer: logs land under `<prefix>/AWSLogs/<account>/`. */
    readonly accountId: string;
    readonly region: string;
    /** Key prefix the load balancer writes under; no leading or trailing slash. */
    readonly prefix: string;
}

/**
 * The bucket policy: the region's delivery principal may put objects under this
 * account's log prefix and nothing else; nobody may use the bucket without TLS.
 */
export function accessLogBucketPolicy(args: AccessLogPolicyArgs): object {
    const bucketArn = `arn:${partitionOf(args.region)}:s3:::${args.bucketName}`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AllowLoadBalancerLogDelivery",
                Effect: "Allow",
                Principal: logDeliveryPrincipal(args.region),
                Action: "s3:PutObject",
                Resource: `${bucketArn}/${args.prefix}/AWSLogs/${args.accountId}/*`,
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}
