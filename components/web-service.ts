import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CpuArchitecture } from "../lib/fargate";
import { ShutdownTiming } from "../lib/shutdown";

export interface WebServiceArgs {
    readonly vpcId: pulumi.Input<string>;
    /** Subnets for the ALB (public, at least 2 AZs). */
    readonly publicSubnetIds: pulumi.Input<string>[];
    /** Subnets for the tasks (private; tasks get no public IP). */
    readonly privateSubnetIds: pulumi.Input<string>[];
    readonly albSecurityGroupId: pulumi.Input<string>;
    readonly taskSecurityGroupId: pulumi.Input<string>;

    /** Image pinned by digest (`repo@sha256:…`). */
    readonly image: pulumi.Input<string>;
    /** Fargate CPU units and memory (MiB), already checked against the Fargate table. */
    readonly cpu: number;
    readonly memory: number;
    readonly cpuArchitecture: CpuArchitecture;
    readonly appPort: number;
    /** Liveness path for the target group and container health checks. */
    readonly healthCheckPath: string;
    /** Plain environment for the container; never secrets. */
    readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
    /** Env var name → Secrets Manager ARN; ECS injects the value at start. */
    readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;

    /** Desired task count, and the autoscaling floor when autoscaling is on. */
    readonly replicas: number;
    /** Autoscaling ceiling; autoscaling is on when greater than `replicas`. */
    readonly maxReplicas: number;
    /** Target-tracking goal: ALB requests per task per minute. */
    readonly requestsPerTargetPerMinute: number;
    readonly deploymentMaximumPercent: number;
    readonly shutdown: ShutdownTiming;

    /** ACM certificate for HTTPS; HTTP then redirects. Unset: HTTP only. */
    readonly certificateArn?: pulumi.Input<string>;
    /** A public name for the ALB: an alias A record in this zone, and the URL output. */
    readonly domain?: { readonly name: string; readonly zoneId: pulumi.Input<string> };
    /** ALB access logs to this bucket (whose policy already lets ELB write) under `prefix`. */
    readonly accessLogs?: { readonly bucket: pulumi.Input<string>; readonly prefix: string };
    readonly logRetentionDays: number;
    readonly region: string;
    readonly deletionProtection: boolean;
}

const CONTAINER = "web";

/** Entries sorted by name, so the task definition (a JSON string) does not change with key order. */
function sortedEntries<T>(record: Readonly<Record<string, T>>): Array<[string, T]> {
    return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * The fleet: ECS cluster, Fargate task definition, ALB with target group and listeners,
 * the service, and optional target-tracking autoscaling between `replicas` and
 * `maxReplicas`.
 */
export class WebService extends pulumi.ComponentResource {
    /** Public URL of the load balancer. */
    public readonly url: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    /** For CloudWatch dimensions and the autoscaling resource label. */
    public readonly albArnSuffix: pulumi.Output<string>;
    public readonly targetGroupArnSuffix: pulumi.Output<string>;

    constructor(name: string, args: WebServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webfleet:web:WebService", name, {}, opts);

        const cluster = new aws.ecs.Cluster(`${name}-cluster`, {
            settings: [{ name: "containerInsights", value: "enabled" }],
        }, { parent: this });
        const logs = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            retentionInDays: args.logRetentionDays,
        }, { parent: this });

        const roles = this.createRoles(name, Object.values(args.secrets));
        const taskDefinition = this.createTaskDefinition(name, args, logs.name, roles);
        const lb = this.createLoadBalancer(name, args);

        const autoscaling = args.maxReplicas > args.replicas;
        const service = new aws.ecs.Service(`${name}-svc`, {
            cluster: cluster.arn,
            taskDefinition: taskDefinition.arn,
            launchType: "FARGATE",
            desiredCount: args.replicas,
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: args.deploymentMaximumPercent,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            // New tasks get this long to pass the ALB health check before ECS counts failures.
            healthCheckGracePeriodSeconds: 30,
            networkConfiguration: {
                subnets: args.privateSubnetIds,
                securityGroups: [args.taskSecurityGroupId],
                assignPublicIp: false,
            },
            loadBalancers: [{ targetGroupArn: lb.targetGroup.arn, containerName: CONTAINER, containerPort: args.appPort }],
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
            // `pulumi up` fails (and the circuit breaker rolls back) if the new tasks never get healthy.
            waitForSteadyState: true,
        }, {
            parent: this,
            dependsOn: lb.listeners,
            // Autoscaling owns the running count between the bounds; `replicas` still reaches AWS
            // as the scalable target's minCapacity, so editing it changes the fleet.
            ignoreChanges: autoscaling ? ["desiredCount"] : [],
        });

        if (autoscaling) {
            this.createAutoscaling(name, args, cluster.name, service.name, lb.alb.arnSuffix, lb.targetGroup.arnSuffix);
        }

        if (args.domain) {
            new aws.route53.Record(`${name}-dns`, {
                zoneId: args.domain.zoneId,
                name: args.domain.name,
                type: "A",
                aliases: [{ name: lb.alb.dnsName, zoneId: lb.alb.zoneId, evaluateTargetHealth: true }],
            }, { parent: this });
        }

        const host = args.domain ? pulumi.output(args.domain.name) : lb.alb.dnsName;
        this.url = pulumi.interpolate`${args.certificateArn ? "https" : "http"}://${host}`;
        this.clusterName = cluster.name;
        this.serviceName = service.name;
        this.albArnSuffix = lb.alb.arnSuffix;
        this.targetGroupArnSuffix = lb.targetGroup.arnSuffix;
        this.registerOutputs({
            url: this.url,
            clusterName: this.clusterName,
            serviceName: this.serviceName,
            albArnSuffix: this.albArnSuffix,
            targetGroupArnSuffix: this.targetGroupArnSuffix,
        });
    }

    /** Execution role (pull image, write logs, read exactly these secrets) and an empty task role. */
    private createRoles(name: string, secretArns: pulumi.Input<string>[]): { execution: aws.iam.Role; task: aws.iam.Role } {
        const assume = JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        const execution = new aws.iam.Role(`${name}-exec`, { assumeRolePolicy: assume }, { parent: this });
        new aws.iam.RolePolicyAttachment(`${name}-exec-managed`, {
            role: execution.name,
            policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
        }, { parent: this });
        new aws.iam.RolePolicy(`${name}-exec-secrets`, {
            role: execution.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secretArns }],
            }),
        }, { parent: this });
        // The app itself calls no AWS API; grant permissions here when it starts to.
        const task = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: assume }, { parent: this });
        return { execution, task };
    }

    private createTaskDefinition(
        name: string,
        args: WebServiceArgs,
        logGroupName: pulumi.Output<string>,
        roles: { execution: aws.iam.Role; task: aws.iam.Role },
    ): aws.ecs.TaskDefinition {
        const environment = sortedEntries(args.environment).map(([envName, value]) => ({ name: envName, value }));
        const secrets = sortedEntries(args.secrets).map(([envName, valueFrom]) => ({ name: envName, valueFrom }));
        const healthUrl = `http://127.0.0.1:${args.appPort}${args.healthCheckPath}`;

        return new aws.ecs.TaskDefinition(`${name}-task`, {
            family: name,
            cpu: String(args.cpu),
            memory: String(args.memory),
            networkMode: "awsvpc", // required by Fargate; hence target type "ip"
            requiresCompatibilities: ["FARGATE"],
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: args.cpuArchitecture },
            executionRoleArn: roles.execution.arn,
            taskRoleArn: roles.task.arn,
            containerDefinitions: pulumi.jsonStringify([
                {
                    name: CONTAINER,
                    image: args.image,
                    essential: true,
                    portMappings: [{ containerPort: args.appPort, protocol: "tcp" }],
                    environment,
                    secrets,
                    stopTimeout: args.shutdown.stopTimeoutSeconds,
                    // The image has no curl; node is always there.
                    healthCheck: {
                        command: [
                            "CMD",
                            "node",
                            "-e",
                            `fetch(${JSON.stringify(healthUrl)}).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))`,
                        ],
                        interval: 15,
                        timeout: 5,
                        retries: 3,
                        startPeriod: 20,
                    },
                    logConfiguration: {
                        logDriver: "awslogs",
                        options: {
                            "awslogs-group": logGroupName,
                            "awslogs-region": args.region,
                            "awslogs-stream-prefix": CONTAINER,
                        },
                    },
                },
            ]),
        }, { parent: this });
    }

    private createLoadBalancer(
        name: string,
        args: WebServiceArgs,
    ): { alb: aws.lb.LoadBalancer; targetGroup: aws.lb.TargetGroup; listeners: aws.lb.Listener[] } {
        const alb = new aws.lb.LoadBalancer(`${name}-alb`, {
            loadBalancerType: "application",
            internal: false,
            securityGroups: [args.albSecurityGroupId],
            subnets: args.publicSubnetIds,
            dropInvalidHeaderFields: true,
            enableDeletionProtection: args.deletionProtection,
            accessLogs: args.accessLogs ? { bucket: args.accessLogs.bucket, prefix: args.accessLogs.prefix, enabled: true } : undefined,
        }, { parent: this });

        const targetGroup = new aws.lb.TargetGroup(`${name}-tg`, {
            vpcId: args.vpcId,
            port: args.appPort,
            protocol: "HTTP",
            targetType: "ip", // awsvpc tasks register by IP
            deregistrationDelay: args.shutdown.deregistrationDelaySeconds,
            healthCheck: {
                path: args.healthCheckPath,
                matcher: "200",
                interval: 10,
                timeout: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 3,
            },
        }, { parent: this });

        const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
        const listeners: aws.lb.Listener[] = [];
        if (args.certificateArn) {
            listeners.push(
                new aws.lb.Listener(`${name}-https`, {
                    loadBalancerArn: alb.arn,
                    port: 443,
                    protocol: "HTTPS",
                    certificateArn: args.certificateArn,
                    // TLS 1.3 with TLS 1.2 fallback, AWS's recommended policy; the API's default
                    // (ELBSecurityPolicy-2016-08) still accepts TLS 1.0 and 1.1.
                    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                    defaultActions: forward,
                }, { parent: this }),
                new aws.lb.Listener(`${name}-http`, {
                    loadBalancerArn: alb.arn,
                    port: 80,
                    protocol: "HTTP",
                    defaultActions: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }],
                }, { parent: this }),
            );
        } else {
            listeners.push(
                new aws.lb.Listener(`${name}-http`, {
                    loadBalancerArn: alb.arn,
                    port: 80,
                    protocol: "HTTP",
                    defaultActions: forward,
                }, { parent: this }),
            );
        }
        return { alb, targetGroup, listeners };
    }

    private createAutoscaling(
        name: string,
        args: WebServiceArgs,
        clusterName: pulumi.Output<string>,
        serviceName: pulumi.Output<string>,
        albArnSuffix: pulumi.Output<string>,
        targetGroupArnSuffix: pulumi.Output<string>,
    ): void {
        const target = new aws.appautoscaling.Target(`${name}-scaling`, {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${clusterName}/${serviceName}`,
            // Raising minCapacity above the running count scales out to it: this is how an
            // edit to `replicas` reaches a service whose desiredCount is ignored.
            minCapacity: args.replicas,
            maxCapacity: args.maxReplicas,
        }, { parent: this });
        new aws.appautoscaling.Policy(`${name}-requests`, {
            policyType: "TargetTrackingScaling",
            serviceNamespace: target.serviceNamespace,
            scalableDimension: target.scalableDimension,
            resourceId: target.resourceId,
            targetTrackingScalingPolicyConfiguration: {
                // ALBRequestCountPerTarget counts requests per target per minute.
                predefinedMetricSpecification: {
                    predefinedMetricType: "ALBRequestCountPerTarget",
                    resourceLabel: pulumi.interpolate`${albArnSuffix}/${targetGroupArnSuffix}`,
                },
                targetValue: args.requestsPerTargetPerMinute,
                scaleOutCooldown: 60,
                scaleInCooldown: 300,
            },
        }, { parent: this });
    }
}
