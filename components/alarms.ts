import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AlarmsArgs {
    readonly albArnSuffix: pulumi.Input<string>;
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    readonly dbInstanceId: pulumi.Input<string>;
    /** Alarm when the database holds more connections than this (a share of the budget). */
    readonly dbConnectionsThreshold: number;
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

        alarm("alb-5xx", {
            alarmDescription: `The load balancer returned more than ${errors} 5xx per minute (no healthy target, or timeouts).`,
            namespace: "AWS/ApplicationELB",
            metricName: "HTTPCode_ELB_5XX_Count",
            dimensions: { LoadBalancer: args.albArnSuffix },
            statistic: "Sum",
            period: 60,
            evaluationPeriods: 3,
            threshold: errors,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        });
        alarm("task-5xx", {
            alarmDescription: `Tasks returned more than ${errors} 5xx per minute.`,
            namespace: "AWS/ApplicationELB",
            metricName: "HTTPCode_Target_5XX_Count",
            dimensions: { LoadBalancer: args.albArnSuffix, TargetGroup: args.targetGroupArnSuffix },
            statistic: "Sum",
            period: 60,
            evaluationPeriods: 3,
            threshold: errors,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        });
        alarm("unhealthy", {
            alarmDescription: "At least one task has failed the /api/health check for 3 minutes.",
            namespace: "AWS/ApplicationELB",
            metricName: "UnHealthyHostCount",
            dimensions: { LoadBalancer: args.albArnSuffix, TargetGroup: args.targetGroupArnSuffix },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 3,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        });
        alarm("db-connections", {
            alarmDescription:
                `PostgreSQL holds more than ${args.dbConnectionsThreshold} connections: nearing the connection budget ` +
                "(look for connections from outside the fleet, or a leak).",
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
