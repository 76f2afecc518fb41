import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dashboardBody, dashboardUrl } from "../lib/dashboard";

export interface DashboardArgs {
    /** Also the dashboard's name: unique per account and region, like the stack's prefix. */
    readonly dashboardName: string;
    readonly region: string;
    /** The `Service` dimension the tasks emit their metrics under (METRICS_SERVICE). */
    readonly metricsService: string;
    readonly albArnSuffix: pulumi.Input<string>;
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    readonly clusterName: pulumi.Input<string>;
    readonly serviceName: pulumi.Input<string>;
    readonly dbInstanceId: pulumi.Input<string>;
    readonly cacheClusterIds: pulumi.Input<string[]>;
    readonly replicas: number;
    readonly maxReplicas: number;
    /** From the plan this `up` sets (lib/transition.ts), known once the deployed plan is read. */
    readonly peakConnections: pulumi.Input<number>;
    readonly dbMaxConnections: pulumi.Input<number>;
    readonly poolPerTask: pulumi.Input<number>;
}

/**
 * One CloudWatch dashboard for the fleet: ALB traffic, latency and 5xx; healthy tasks
 * against replicas/maxReplicas; per-task request rate, latency and pool use from the
 * gateway's EMF metrics; cache hit ratio; database connections against the connection
 * budget; Redis and RDS health. The body is built by lib/dashboard.ts (pure).
 */
export class Dashboard extends pulumi.ComponentResource {
    /** Console address of the dashboard. */
    public readonly url: pulumi.Output<string>;
    public readonly dashboardName: pulumi.Output<string>;

    constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webfleet:ops:Dashboard", name, {}, opts);
        const budget = pulumi.all([args.peakConnections, args.dbMaxConnections, args.poolPerTask]);
        const body = pulumi
            .all([args.albArnSuffix, args.targetGroupArnSuffix, args.clusterName, args.serviceName, args.dbInstanceId, args.cacheClusterIds, budget])
            .apply(([albArnSuffix, targetGroupArnSuffix, clusterName, serviceName, dbInstanceId, cacheClusterIds, [peakConnections, dbMaxConnections, poolPerTask]]) =>
                JSON.stringify(
                    dashboardBody({
                        region: args.region,
                        service: args.metricsService,
                        albArnSuffix,
                        targetGroupArnSuffix,
                        clusterName,
                        serviceName,
                        dbInstanceId,
                        cacheClusterIds,
                        replicas: args.replicas,
                        maxReplicas: args.maxReplicas,
                        peakConnections,
                        dbMaxConnections,
                        poolPerTask,
                    }),
                ),
            );
        const dashboard = new aws.cloudwatch.Dashboard(`${name}-board`, { dashboardName: args.dashboardName, dashboardBody: body }, { parent: this });
        this.dashboardName = dashboard.dashboardName;
        this.url = dashboard.dashboardName.apply((n) => dashboardUrl(args.region, n));
        this.registerOutputs({ url: this.url, dashboardName: this.dashboardName });
    }
}
