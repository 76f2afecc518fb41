import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planSubnets, VPC_CIDR } from "../lib/subnets";

/** An existing VPC to deploy into, as its ids. */
export interface ExistingVpc {
    readonly vpcId: string;
    /** For the ALB: at least 2, in different AZs, routed to an internet gateway. */
    readonly publicSubnetIds: readonly string[];
    /** For tasks, RDS and Redis: at least 2, in different AZs, with a NAT route for egress. */
    readonly privateSubnetIds: readonly string[];
}

export interface NetworkArgs {
    /** How many availability zones to spread over (the ALB needs at least 2). */
    readonly azCount: number;
    /** One NAT gateway per AZ (keeps egress up when an AZ fails) or a single shared one (cheaper). */
    readonly natGatewayPerAz: boolean;
    /** Use this VPC and its subnets as they are; nothing is created and azCount/natGatewayPerAz are ignored. */
    readonly existing?: ExistingVpc;
}

/**
 * A VPC over `azCount` AZs: public subnets hold only the ALB and NAT gateways; tasks, the
 * database and the cache live in private subnets with no route from the internet. Or, with
 * `existing`, an existing VPC's ids passed through unchanged.
 */
export class Network extends pulumi.ComponentResource {
    /** The VPC id. */
    public readonly vpcId: pulumi.Output<string>;
    /** Public subnets, one per AZ (ALB, NAT). */
    public readonly publicSubnetIds: pulumi.Output<string>[];
    /** Private subnets, one per AZ (tasks, RDS, ElastiCache). */
    public readonly privateSubnetIds: pulumi.Output<string>[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webfleet:network:Network", name, {}, opts);
        if (args.existing) {
            // Someone else's network: create nothing in it, not even the default-SG clean-up.
            this.vpcId = pulumi.output(args.existing.vpcId);
            this.publicSubnetIds = args.existing.publicSubnetIds.map((id) => pulumi.output(id));
            this.privateSubnetIds = args.existing.privateSubnetIds.map((id) => pulumi.output(id));
            this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds });
            return;
        }
        const plan = planSubnets(args.azCount);
        // Regular AZs only: Local and Wavelength Zones (opt-in) lack NAT gateways, RDS Multi-AZ and more.
        const zones = aws.getAvailabilityZonesOutput(
            { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
            { parent: this },
        );
        const zoneAt = (i: number): pulumi.Output<string> =>
            zones.names.apply((names) => {
                if (names.length <= i) {
                    throw new Error(
                        `webfleet:azCount is ${args.azCount} but this region has only ${names.length} available AZs; lower azCount.`,
                    );
                }
                return names[i];
            });

        const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: VPC_CIDR,
            enableDnsHostnames: true, // RDS and ElastiCache endpoints are DNS names
            enableDnsSupport: true,
            tags: { Name: `${name}-vpc` },
        }, { parent: this });
        // The default security group allows all traffic between its members; nothing should
        // use it, so strip its rules rather than leave an open group lying around.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [] }, { parent: this });
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: `${name}-igw` } }, { parent: this });

        const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, {
            vpcId: vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
            tags: { Name: `${name}-public` },
        }, { parent: this });

        const publicSubnets = plan.publicCidrs.map((cidr, i) => {
            const subnet = new aws.ec2.Subnet(`${name}-public-${i}`, {
                vpcId: vpc.id,
                cidrBlock: cidr,
                availabilityZone: zoneAt(i),
                mapPublicIpOnLaunch: false, // nothing here needs an automatic public IP; the ALB and NAT get their own
                tags: { Name: `${name}-public-${i}`, tier: "public" },
            }, { parent: this });
            new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, { parent: this });
            return subnet;
        });

        const natCount = args.natGatewayPerAz ? args.azCount : 1;
        const nats = Array.from({ length: natCount }, (_, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: { Name: `${name}-nat-${i}` } }, { parent: this });
            return new aws.ec2.NatGateway(`${name}-nat-${i}`, {
                allocationId: eip.id,
                subnetId: publicSubnets[i].id,
                tags: { Name: `${name}-nat-${i}` },
            }, { parent: this, dependsOn: [igw] });
        });

        const privateSubnets = plan.privateCidrs.map((cidr, i) => {
            const subnet = new aws.ec2.Subnet(`${name}-private-${i}`, {
                vpcId: vpc.id,
                cidrBlock: cidr,
                availabilityZone: zoneAt(i),
                mapPublicIpOnLaunch: false,
                tags: { Name: `${name}-private-${i}`, tier: "private" },
            }, { parent: this });
            // Each private subnet leaves through the NAT in its own AZ when there is one per AZ.
            const nat = nats[args.natGatewayPerAz ? i : 0];
            const routes = new aws.ec2.RouteTable(`${name}-private-${i}`, {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
                tags: { Name: `${name}-private-${i}` },
            }, { parent: this });
            new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: routes.id }, { parent: this });
            return subnet;
        });

        this.vpcId = vpc.id;
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds });
    }
}
