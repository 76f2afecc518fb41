import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogBucketPolicy } from "../lib/elb-log-delivery";

export interface AccessLogsArgs {
    /** The load balancer's region: it decides who delivers the logs (lib/elb-log-delivery.ts). */
    readonly region: string;
    /** S3 expires log objects after this many days. */
    readonly retentionDays: number;
    /** Keep the bucket (and its logs) when the stack is destroyed; otherwise empty and delete it. */
    readonly deletionProtection: boolean;
}

/** Key prefix the load balancer writes under; AWS adds `AWSLogs/<account>/…` after it. */
export const ACCESS_LOG_PREFIX = "alb";

/**
 * An S3 bucket for the load balancer's access logs: SSE-S3 (the only encryption ALB log
 * delivery supports), public access blocked, ACLs disabled (bucket owner enforced),
 * objects expired after `retentionDays`, and a policy that lets exactly the region's
 * log-delivery principal write under this account's prefix.
 */
export class AccessLogs extends pulumi.ComponentResource {
    /**
     * The bucket name, taken from the bucket policy: a load balancer that uses it waits for
     * the policy, because ELB checks its write access when access logs are turned on and
     * fails with "Access Denied for bucket" otherwise.
     */
    public readonly bucketName: pulumi.Output<string>;
    public readonly prefix: string;

    constructor(name: string, args: AccessLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webfleet:edge:AccessLogs", name, {}, opts);

        const bucket = new aws.s3.Bucket(`${name}-bucket`, {
            forceDestroy: !args.deletionProtection,
        }, { parent: this });
        const access = new aws.s3.BucketPublicAccessBlock(`${name}-private`, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, { parent: this });
        new aws.s3.BucketOwnershipControls(`${name}-owner`, {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, { parent: this });
        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-sse`, {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }, { parent: this });
        new aws.s3.BucketLifecycleConfiguration(`${name}-expiry`, {
            bucket: bucket.id,
            rules: [{
                id: "expire-access-logs",
                status: "Enabled",
                filter: { prefix: `${ACCESS_LOG_PREFIX}/` },
                expiration: { days: args.retentionDays },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
            }],
        }, { parent: this });

        const account = aws.getCallerIdentityOutput({}, { parent: this });
        const policy = new aws.s3.BucketPolicy(`${name}-policy`, {
            bucket: bucket.id,
            policy: pulumi.all([bucket.bucket, account.accountId]).apply(([bucketName, accountId]) =>
                JSON.stringify(accessLogBucketPolicy({ bucketName, accountId, region: args.region, prefix: ACCESS_LOG_PREFIX })),
            ),
        }, {
            parent: this,
            // One bucket-configuration call at a time: S3 can answer concurrent ones with 409 OperationAborted.
            dependsOn: [access],
        });

        this.bucketName = policy.bucket;
        this.prefix = ACCESS_LOG_PREFIX;
        this.registerOutputs({ bucketName: this.bucketName, prefix: this.prefix });
    }
}
