import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface SecurityGroupsArgs {
    readonly vpcId: pulumi.Input<string>;
    /** Port the app listens on inside the task. */
    readonly appPort: number;
    /** Open 443 on the load balancer (only when a certificate is configured). */
    readonly https: boolean;
    readonly dbPort: number;
    readonly cachePort: number;
}

/**
 * The chain internet → ALB (80/443 only) → tasks (app port) → Redis / Postgres. Each hop
 * admits only the security group before it, never a CIDR, so nothing but the ALB is
 * reachable from outside and the data stores are reachable only from tasks.
 */
export class SecurityGroups extends pulumi.ComponentResource {
    /** For the ALB: HTTP (and HTTPS) from anywhere. */
    public readonly albSecurityGroupId: pulumi.Output<string>;
    /** For the tasks: the app port from the ALB only. */
    public readonly taskSecurityGroupId: pulumi.Output<string>;
    /** For RDS: Postgres from tasks only. */
    public readonly dbSecurityGroupId: pulumi.Output<string>;
    /** For ElastiCache: Redis from tasks only. */
    public readonly cacheSecurityGroupId: pulumi.Output<string>;

    constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webfleet:network:SecurityGroups", name, {}, opts);
        const group = (role: string, description: string): aws.ec2.SecurityGroup =>
            new aws.ec2.SecurityGroup(`${name}-${role}`, {
                vpcId: args.vpcId,
                description,
                tags: { Name: `${name}-${role}` },
            }, { parent: this });
        const alb = group("alb", "webfleet load balancer: HTTP(S) from the internet");
        const task = group("task", "webfleet tasks: app port from the load balancer");
        const db = group("db", "webfleet PostgreSQL: from tasks only");
        const cache = group("cache", "webfleet Redis: from tasks only");

        const publicPorts = args.https ? [80, 443] : [80];
        for (const port of publicPorts) {
            for (const [family, cidr] of [["v4", "0.0.0.0/0"], ["v6", "::/0"]] as const) {
                new aws.vpc.SecurityGroupIngressRule(`${name}-alb-in-${port}-${family}`, {
                    securityGroupId: alb.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    ...(family === "v4" ? { cidrIpv4: cidr } : { cidrIpv6: cidr }),
                    description: `HTTP${port === 443 ? "S" : ""} from the internet`,
                }, { parent: this });
            }
        }
        // The ALB may only talk to tasks, on the app port.
        new aws.vpc.SecurityGroupEgressRule(`${name}-alb-out-task`, {
            securityGroupId: alb.id,
            ipProtocol: "tcp",
            fromPort: args.appPort,
            toPort: args.appPort,
            referencedSecurityGroupId: task.id,
            description: "to tasks",
        }, { parent: this });

        const chain: Array<[string, aws.ec2.SecurityGroup, aws.ec2.SecurityGroup, number]> = [
            ["task-in-alb", task, alb, args.appPort],
            ["db-in-task", db, task, args.dbPort],
            ["cache-in-task", cache, task, args.cachePort],
        ];
        for (const [role, target, source, port] of chain) {
            new aws.vpc.SecurityGroupIngressRule(`${name}-${role}`, {
                securityGroupId: target.id,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: source.id,
                description: `port ${port} from ${role.split("-in-")[1]}`,
            }, { parent: this });
        }
        // Tasks call upstream RPC providers, ECR, Secrets Manager and CloudWatch through the NAT.
        new aws.vpc.SecurityGroupEgressRule(`${name}-task-out`, {
            securityGroupId: task.id,
            ipProtocol: "-1",
            cidrIpv4: "0.0.0.0/0",
            description: "tasks reach upstreams, AWS APIs, Redis and Postgres",
        }, { parent: this });

        this.albSecurityGroupId = alb.id;
        this.taskSecurityGroupId = task.id;
        this.dbSecurityGroupId = db.id;
        this.cacheSecurityGroupId = cache.id;
        this.registerOutputs({
            albSecurityGroupId: this.albSecurityGroupId,
            taskSecurityGroupId: this.taskSecurityGroupId,
            dbSecurityGroupId: this.dbSecurityGroupId,
            cacheSecurityGroupId: this.cacheSecurityGroupId,
        });
    }
}
