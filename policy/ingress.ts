/**
 * Only the load balancer faces the internet, and only on HTTP/HTTPS. Everything else
 * (tasks, Redis, Postgres) takes traffic from a security group, never from a CIDR that
 * covers the world.
 *
 * A stack policy because "is this the load balancer's security group?" is a question
 * about two resources. It is answered from `propertyDependencies` (which resource fed
 * the load balancer's `securityGroups`), not from ids: dependencies are known during a
 * preview, while the ids of new security groups are not.
 */
import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { Props, TYPES, num, records, str, strings } from "./props";

/** Ports the load balancer may open to the world. */
export const PUBLIC_PORTS: readonly number[] = [80, 443];

interface WorldRule {
    /** Where the rule lives, for the message. */
    readonly where: string;
    readonly urn: string;
    /** URN of the security group the rule opens. */
    readonly groupUrn: string | undefined;
    readonly cidrs: readonly string[];
    readonly protocol: string;
    readonly fromPort: number | undefined;
    readonly toPort: number | undefined;
}

/** A /0 prefix covers every address, however it is written (0.0.0.0/0, ::/0). */
function isWorld(cidr: string): boolean {
    return cidr.trim().endsWith("/0");
}

function dependencyUrns(resource: PolicyResource, property: string): string[] {
    return (resource.propertyDependencies[property] ?? []).map((d) => d.urn);
}

/** World-open rules in inline `ingress` blocks and in standalone rule resources. */
function worldRules(resources: readonly PolicyResource[]): WorldRule[] {
    const found: WorldRule[] = [];
    const add = (r: PolicyResource, where: string, groupUrn: string | undefined, rule: Props, cidrs: string[], protocolKey: string): void => {
        const world = cidrs.filter(isWorld);
        if (world.length > 0) {
            found.push({
                where,
                urn: r.urn,
                groupUrn,
                cidrs: world,
                protocol: str(rule, protocolKey) ?? "",
                fromPort: num(rule, "fromPort"),
                toPort: num(rule, "toPort"),
            });
        }
    };
    for (const r of resources) {
        if (r.type === TYPES.securityGroup) {
            records(r.props, "ingress").forEach((rule, i) =>
                add(r, `security group ${r.name} ingress[${i}]`, r.urn, rule, [...strings(rule, "cidrBlocks"), ...strings(rule, "ipv6CidrBlocks")], "protocol"),
            );
        } else if (r.type === TYPES.securityGroupRule && str(r.props, "type") === "ingress") {
            const cidrs = [...strings(r.props, "cidrBlocks"), ...strings(r.props, "ipv6CidrBlocks")];
            add(r, `security group rule ${r.name}`, dependencyUrns(r, "securityGroupId")[0], r.props, cidrs, "protocol");
        } else if (r.type === TYPES.ingressRule) {
            const cidrs = [str(r.props, "cidrIpv4"), str(r.props, "cidrIpv6")].filter((c): c is string => c !== undefined);
            add(r, `ingress rule ${r.name}`, dependencyUrns(r, "securityGroupId")[0], r.props, cidrs, "ipProtocol");
        }
    }
    return found;
}

function isTcp(protocol: string): boolean {
    return protocol.toLowerCase() === "tcp" || protocol === "6";
}

function allowedForLoadBalancer(rule: WorldRule): boolean {
    return isTcp(rule.protocol) && rule.fromPort !== undefined && rule.fromPort === rule.toPort && PUBLIC_PORTS.includes(rule.fromPort);
}

function describePorts(rule: WorldRule): string {
    if (rule.protocol === "-1" || rule.protocol.toLowerCase() === "all") {
        return "all protocols and ports";
    }
    const ports = rule.fromPort === rule.toPort ? `port ${rule.fromPort ?? "?"}` : `ports ${rule.fromPort ?? "?"}–${rule.toPort ?? "?"}`;
    return `${rule.protocol || "?"} ${ports}`;
}

function validateIngress(args: StackValidationArgs, report: ReportViolation): void {
    const lbGroups = new Set(
        args.resources.filter((r) => r.type === TYPES.loadBalancer).flatMap((lb) => dependencyUrns(lb, "securityGroups")),
    );
    for (const rule of worldRules(args.resources)) {
        const onLoadBalancer = rule.groupUrn !== undefined && lbGroups.has(rule.groupUrn);
        if (onLoadBalancer && allowedForLoadBalancer(rule)) {
            continue;
        }
        const why = onLoadBalancer
            ? `The load balancer may take traffic from the internet only on TCP ${PUBLIC_PORTS.join(" and ")}, one port per rule.`
            : `Only the load balancer's security group may take traffic from the internet; allow this one from the ` +
              `load balancer's (or the tasks') security group instead (securityGroups / referencedSecurityGroupId).`;
        report(`${rule.where} opens ${describePorts(rule)} to ${rule.cidrs.join(", ")}. ${why}`, rule.urn);
    }
}

export const noPublicIngress: StackValidationPolicy = {
    name: "no-public-ingress",
    description: "No ingress from 0.0.0.0/0 or ::/0, except to the load balancer on TCP 80/443.",
    enforcementLevel: "mandatory",
    validateStack: validateIngress,
};
