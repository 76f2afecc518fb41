import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AlarmsArgs {
    readonly albArnSuffix: pulumi.Input<string>;
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    readonly dbInstanceId: pulumi.Input<string>;
    /** The target group's health-check path, named in the unhealthy-targets alarm. */
    readonly healthCheckPath: string;
    /** Alarm when the database holds more connections than this (a share of the budget this `up` sets). */
    readonly dbConnectionsThreshold: pulumi.Input<number>;
    readonly clusterName: pulumi.Input<string>;
    readonly serviceName: pulumi.Input<string>;
    /** The cache's member clusters; ElastiCache reports memory and evictions per cluster. */
    readonly cacheClusterIds: pulumi.Input<string[]>;
    /** How many member clusters there are (decides how many alarms exist, so it must be a plain number). */
    readonly cacheClusterCount: number;
    /** Alarm when RDS has less free storage than this many bytes. */
    readonly freeStorageThresholdBytes: number;
    /** Addresses subscribed to the topic (each must confirm the subscription e-mail AWS sends). */
    readonly alarmEmails?: readonly string[];
    /** 5xx responses per minute that count as an incident. */
    readonly errorsPerMinute?: number;
    /** ALB p99 target response time, in seconds, that counts as slow. @default 1 */
    readonly latencyP99Seconds?: number;
}

type AlarmSpec = Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions">;

/**
 * CloudWatch alarms for what breaks a fleet: 5xx from the ALB or the tasks, slow answers,
 * targets failing health checks, tasks short of CPU or memory, database connections
 * nearing the budget or storage running out, Redis memory full or evicting. Every alarm
 * notifies one SNS topic (on alarm and on recovery); `alarmEmails` subscribe to it, and
 * so can a pager (`alarmTopicArn`).
 */
export class Alarms extends pulumi.ComponentResource {
    /** SNS topic every alarm notifies. */
    public readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webfleet:ops:Alarms", name, {}, opts);
        const topic = new aws.sns.Topic(`${name}-topic`, {}, { parent: this });
        (args.alarmEmails ?? []).forEach((email, i) => {
            new aws.sns.TopicSubscription(`${name}-email-${i}`, { topic: topic.arn, protocol: "email", endpoint: email }, { parent: this });
        });
        const errors = args.errorsPerMinute ?? 10;
        const latency = args.latencyP99Seconds ?? 1;
        const actions = [topic.arn];
        const alarm = (role: string, spec: AlarmSpec): void => {
            new aws.cloudwatch.MetricAlarm(`${name}-${role}`, { ...spec, alarmActions: actions, okActions: actions }, { parent: this });
        };
        /** `evaluationPeriods` one-minute periods above `threshold`; no data is not an incident unless said. */
        const above = (role: string, namespace: string, metricName: string, description: string, spec: Pick<AlarmSpec, "dimensions" | "threshold"> & Partial<AlarmSpec>): void =>
            alarm(role, {
                alarmDescription: description,
                namespace,
                metricName,
                statistic: spec.extendedStatistic === undefined ? "Maximum" : undefined,
                period: 60,
                evaluationPeriods: 3,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
                ...spec,
            });
        const targetGroup = { LoadBalancer: args.albArnSuffix, TargetGroup: args.targetGroupArnSuffix };
        const service = { ClusterName: args.clusterName, ServiceName: args.serviceName };
        const db = { DBInstanceIdentifier: args.dbInstanceId };

        above("alb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", `The load balancer returned more than ${errors} 5xx per minute (no healthy target, or timeouts).`, {
            dimensions: { LoadBalancer: args.albArnSuffix },
            statistic: "Sum",
            threshold: errors,
        });
        above("task-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", `Tasks returned more than ${errors} 5xx per minute.`, {
            dimensions: targetGroup,
            statistic: "Sum",
            threshold: errors,
        });
        above("unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", `At least one task has failed the ${args.healthCheckPath} check for 3 minutes.`, {
            dimensions: targetGroup,
            threshold: 0,
        });
        above("latency-p99", "AWS/ApplicationELB", "TargetResponseTime", `p99 response time above ${latency} s for 5 minutes (dashboard: per-task latency, upstream errors).`, {
            dimensions: { LoadBalancer: args.albArnSuffix },
            extendedStatistic: "p99",
            threshold: latency,
            evaluationPeriods: 5,
        });
        above("task-cpu", "AWS/ECS", "CPUUtilization", "The tasks average above 80 % CPU for 5 minutes: add replicas (or maxReplicas).", {
            dimensions: service,
            statistic: "Average",
            threshold: 80,
            evaluationPeriods: 5,
        });
        above("task-memory", "AWS/ECS", "MemoryUtilization", "The tasks average above 85 % of their memory for 5 minutes: raise `memory`, or look for a leak.", {
            dimensions: service,
            statistic: "Average",
            threshold: 85,
            evaluationPeriods: 5,
        });
        above(
            "db-connections",
            "AWS/RDS",
            "DatabaseConnections",
            "PostgreSQL holds more than 90 % of the connections this `up`'s plan allows at its peak: nearing the " +
                "connection budget (look for connections from outside the fleet, or a leak).",
            { dimensions: db, threshold: args.dbConnectionsThreshold, evaluationPeriods: 5, treatMissingData: "missing" },
        );
        alarm("db-storage", {
            alarmDescription: `RDS has less than ${Math.round(args.freeStorageThresholdBytes / 1024 ** 3)} GiB free and storage autoscaling has not caught up (or is at its maximum).`,
            namespace: "AWS/RDS",
            metricName: "FreeStorageSpace",
            dimensions: db,
            statistic: "Minimum",
            period: 300,
            evaluationPeriods: 2,
            threshold: args.freeStorageThresholdBytes,
            comparisonOperator: "LessThanThreshold",
            treatMissingData: "missing",
        });
        for (let i = 0; i < args.cacheClusterCount; i += 1) {
            const cluster = { CacheClusterId: pulumi.output(args.cacheClusterIds).apply((ids) => memberAt(ids, i)) };
            above(`redis-memory-${i}`, "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "Redis uses more than 85 % of maxmemory: it will start evicting; use a larger cacheNodeType.", {
                dimensions: cluster,
                threshold: 85,
                evaluationPeriods: 5,
            });
            above(`redis-evictions-${i}`, "AWS/ElastiCache", "Evictions", "Redis evicted more than 100 keys a minute for 5 minutes: the cache is too small for its working set.", {
                dimensions: cluster,
                statistic: "Sum",
                threshold: 100,
                evaluationPeriods: 5,
            });
        }

        this.topicArn = topic.arn;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}

/** Member clusters in a stable order (`<group>-001`, `<group>-002`); a missing one is a bug, not a silent no-op. */
function memberAt(ids: readonly string[], i: number): string {
    const sorted = [...ids].sort();
    if (i >= sorted.length) {
        throw new Error(`the cache has ${sorted.length} member cluster(s); expected at least ${i + 1}`);
    }
    return sorted[i];
}
