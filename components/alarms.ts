import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AlarmsArgs {
    readonly albArnSuffix: pulumi.Input<string>;
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    readonly dbInstanceId: pulumi.Input<string>;
    /** Alarm when the database holds more connections than this (a share of the budget this `up` sets). */
    readonly dbConnectionsThreshold: pulumi.Input<number>;
    /** 5xx responses per minute that count as an incident. */
    readonly errorsPerMinute?: number;
}

/**
 * CloudWatch alarms for what breaks a fleet: 5xx from the ALB or the tasks, targets
 * failing health checks, and database connections nearing the budget. They notify an SNS
 * topic; subscribe your pager or e-mail to `alarmTopicArn`.
 */
export class Alarms extends pulumi.ComponentResource {
    /** SNS topic every alarm notifies. */
    public readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webfleet:ops:Alarms", name, {}, opts);
        const topic = new aws.sns.Topic(`${name}-topic`, {}, { parent: this });
        const errors = args.errorsPerMinute ?? 10;
        const actions = [topic.arn];
        const alarm = (role: string, spec: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions">): void => {
            new aws.cloudwatch.MetricAlarm(`${name}-${role}`, { ...spec, alarmActions: actions, okActions: actions }, { parent: this });
        };

        // ALB metrics over 3 one-minute periods; no traffic (missing data) is not an incident.
        const albAlarm = (role: string, metricName: string, description: string, spec: Pick<aws.cloudwatch.MetricAlarmArgs, "dimensions" | "statistic" | "threshold">): void =>
            alarm(role, {
                ...spec,
                alarmDescription: description,
                namespace: "AWS/ApplicationELB",
                metricName,
                period: 60,
                evaluationPeriods: 3,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
            });
        const targetGroup = { LoadBalancer: args.albArnSuffix, TargetGroup: args.targetGroupArnSuffix };

        albAlarm("alb-5xx", "HTTPCode_ELB_5XX_Count", `The load balancer returned more than ${errors} 5xx per minute (no healthy target, or timeouts).`, {
            dimensions: { LoadBalancer: args.albArnSuffix },
            statistic: "Sum",
            threshold: errors,
        });
        albAlarm("task-5xx", "HTTPCode_Target_5XX_Count", `Tasks returned more than ${errors} 5xx per minute.`, {
            dimensions: targetGroup,
            statistic: "Sum",
            threshold: errors,
        });
        albAlarm("unhealthy", "UnHealthyHostCount", "At least one task has failed the /api/health check for 3 minutes.", {
            dimensions: targetGroup,
            statistic: "Maximum",
            threshold: 0,
        });
        alarm("db-connections", {
            alarmDescription: pulumi.interpolate`PostgreSQL holds more than ${args.dbConnectionsThreshold} connections: nearing the connection budget (look for connections from outside the fleet, or a leak).`,
            namespace: "AWS/RDS",
            metricName: "DatabaseConnections",
            dimensions: { DBInstanceIdentifier: args.dbInstanceId },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 5,
            threshold: args.dbConnectionsThreshold,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "missing",
        });

        this.topicArn = topic.arn;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}
