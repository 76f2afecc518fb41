/**
 * Readers for resource properties as the policy engine hands them over: plain JSON with
 * no types. Every reader returns `undefined` for a missing or mistyped value, so a
 * policy can say "set X" instead of crashing on a shape it did not expect.
 *
 * Values that are unknown during a preview are not our concern here: @pulumi/policy
 * wraps props in a proxy that throws on reading one, and the engine then reports the
 * policy as not applicable to that resource.
 */
import { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { isRecord } from "./is-record";

/** Resource properties as the engine hands them over, narrowed to `unknown` values. */
export type Props = Readonly<Record<string, unknown>>;

/** The resource type tokens the policies look at, as in `@pulumi/aws` typings. */
export const TYPES = {
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    scalingTarget: "aws:appautoscaling/target:Target",
    parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    dbInstance: "aws:rds/instance:Instance",
    dbCluster: "aws:rds/cluster:Cluster",
    dbClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    ecrRepository: "aws:ecr/repository:Repository",
} as const;

/** A number, or a string holding one (the engine and `containerDefinitions` use both). */
export function num(props: Props, key: string): number | undefined {
    const value = props[key];
    if (typeof value === "number" && Number.isFinite(value)) {
        return value;
    }
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
        return Number(value);
    }
    return undefined;
}

export function bool(props: Props, key: string): boolean | undefined {
    const value = props[key];
    return typeof value === "boolean" ? value : undefined;
}

export function str(props: Props, key: string): string | undefined {
    const value = props[key];
    return typeof value === "string" ? value : undefined;
}

/** The records in an array property; anything else in it is dropped. */
export function records(props: Props, key: string): Props[] {
    const value = props[key];
    return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The strings in an array property. */
export function strings(props: Props, key: string): string[] {
    const value = props[key];
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * The stack a resource belongs to, from its URN: `urn:pulumi:<stack>::<project>::<type>::<name>`.
 * Policies cannot call `pulumi.getStack()`, but every resource carries its stack in its URN.
 */
export function stackOf(urn: string): string | undefined {
    const match = /^urn:pulumi:([^:]+)::/.exec(urn);
    return match ? match[1] : undefined;
}

/** A resource policy over a few types, with the props narrowed to `unknown`. */
export function forTypes(
    types: readonly string[],
    check: (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void,
): (args: ResourceValidationArgs, report: ReportViolation) => void {
    return (args, report) => {
        if (types.includes(args.type)) {
            check(args.props, args, report);
        }
    };
}
