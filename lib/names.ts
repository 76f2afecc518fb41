/**
 * Names within AWS limits. Pulumi autonames physical resources as
 * `<logical name>-<7 random chars>`, so a logical name's budget is the AWS limit minus 8.
 * The tightest limits are the ALB and target-group names (32 chars), so every logical
 * name is `<prefix>-<component>-<role>` with a prefix short enough for the longest role.
 */
import { createHash } from "crypto";

/** What Pulumi's autonaming appends: "-" and 7 random characters. */
export const AUTONAME_SUFFIX_LENGTH = 8;

/** AWS name limits by Pulumi resource type, for types whose name derives from the logical name. */
export const NAME_LIMITS: Readonly<Record<string, number>> = {
    "aws:lb/loadBalancer:LoadBalancer": 32,
    "aws:lb/targetGroup:TargetGroup": 32,
    "aws:elasticache/replicationGroup:ReplicationGroup": 40,
    "aws:elasticache/subnetGroup:SubnetGroup": 255,
    "aws:rds/instance:Instance": 63,
    "aws:rds/parameterGroup:ParameterGroup": 255,
    "aws:rds/subnetGroup:SubnetGroup": 255,
    "aws:ecs/cluster:Cluster": 255,
    "aws:ecs/service:Service": 255,
    "aws:iam/role:Role": 64,
    "aws:ecr/repository:Repository": 256,
    "aws:ec2/securityGroup:SecurityGroup": 255,
    "aws:secretsmanager/secret:Secret": 512,
    "aws:cloudwatch/metricAlarm:MetricAlarm": 255,
    "aws:s3/bucket:Bucket": 63,
};

/** Longest `-<component>-<role>` the program appends to the prefix (see components/). */
export const LONGEST_SUFFIX = "-web-alb";

/** Longest prefix that keeps `<prefix><LONGEST_SUFFIX>` + autoname within 32 chars. */
export const MAX_PREFIX_LENGTH = 32 - AUTONAME_SUFFIX_LENGTH - LONGEST_SUFFIX.length;

/**
 * `webfleet` + `prod` → `webfleet-prod`. Stack names may hold `_` and `.`, which AWS names
 * do not allow, and may be long. When `<project>-<stack>` does not fit, the prefix is the
 * stack name cut to fit plus a short hash of project and stack, so two long stack names
 * never collide. Always: lower-case letters, digits and single hyphens, starting with a
 * letter, no trailing hyphen, at most MAX_PREFIX_LENGTH chars.
 */
export function resourcePrefix(project: string, stack: string): string {
    const full = startWithLetter(sanitize(`${project}-${stack}`));
    if (full.length <= MAX_PREFIX_LENGTH) {
        return full;
    }
    const hash = createHash("sha256").update(`${project}/${stack}`).digest("hex").slice(0, 4);
    const head = startWithLetter(sanitize(stack))
        .slice(0, MAX_PREFIX_LENGTH - hash.length - 1)
        .replace(/-+$/, "");
    return `${head}-${hash}`;
}

function startWithLetter(name: string): string {
    return /^[a-z]/.test(name) ? name : `wf-${name}`.replace(/-+$/, "");
}

function sanitize(name: string): string {
    return name
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-{2,}/g, "-")
        .replace(/^-+|-+$/g, "");
}

/** Would Pulumi's autoname for this logical name fit the AWS limit for its type? */
export function autonameFits(type: string, logicalName: string): boolean {
    const limit = NAME_LIMITS[type];
    return limit === undefined || logicalName.length + AUTONAME_SUFFIX_LENGTH <= limit;
}

/** RDS identifiers and ElastiCache ids: letters, digits, hyphens; start with a letter; no `--`; no trailing hyphen. */
export function isValidAwsIdentifier(name: string, maxLength: number): boolean {
    return (
        name.length >= 1 &&
        name.length <= maxLength &&
        /^[a-zA-Z][a-zA-Z0-9-]*$/.test(name) &&
        !name.includes("--") &&
        !name.endsWith("-")
    );
}

/** RDS `dbName`: letters, digits and underscores, starting with a letter, at most 63. */
export function databaseName(prefix: string): string {
    return prefix.replace(/-/g, "_").slice(0, 63);
}
