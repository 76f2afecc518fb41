import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { noPublicIngress } from "../../policy/policies";
import { checkStack, messages, resource } from "./fakes";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const LB = "aws:lb/loadBalancer:LoadBalancer";

const world = (fromPort: number, toPort = fromPort, protocol = "tcp"): Record<string, unknown> => ({ protocol, fromPort, toPort, cidrBlocks: ["0.0.0.0/0"] });

function albGroup(ingress: Record<string, unknown>[]): PolicyResource {
    return resource(SG, "alb-sg", { ingress });
}

function loadBalancer(groups: PolicyResource[]): PolicyResource {
    return resource(LB, "alb", { loadBalancerType: "application" }, { deps: { securityGroups: groups } });
}

describe("policy no-public-ingress", () => {
    it("allows the load balancer's security group to take 80 and 443 from anywhere", async () => {
        const alb = albGroup([world(80), world(443), { ...world(443), cidrBlocks: [], ipv6CidrBlocks: ["::/0"] }]);
        assert.deepStrictEqual(messages(await checkStack(noPublicIngress, [alb, loadBalancer([alb])])), []);
    });

    it("allows security-group-to-security-group rules with no CIDR", async () => {
        const tasks = resource(SG, "tasks-sg", { ingress: [{ protocol: "tcp", fromPort: 3000, toPort: 3000, securityGroups: ["sg-123"] }] });
        assert.deepStrictEqual(messages(await checkStack(noPublicIngress, [tasks])), []);
    });

    it("fails the load balancer's security group open on another port, or on a port range", async () => {
        const alb = albGroup([world(22), world(80, 443)]);
        const found = messages(await checkStack(noPublicIngress, [alb, loadBalancer([alb])]));
        assert.strictEqual(found.length, 2);
        assert.match(found[0], /security group alb-sg ingress\[0\] opens tcp port 22 to 0\.0\.0\.0\/0\. The load balancer may take traffic from the internet only on TCP 80 and 443/);
        assert.match(found[1], /ingress\[1\] opens tcp ports 80–443/);
    });

    it("fails a security group that is not the load balancer's, even on 443", async () => {
        const alb = albGroup([world(443)]);
        const tasks = resource(SG, "tasks-sg", { ingress: [world(443)] });
        const found = await checkStack(noPublicIngress, [alb, tasks, loadBalancer([alb])]);
        assert.strictEqual(found.violations.length, 1);
        assert.match(found.violations[0].message, /tasks-sg ingress\[0\] opens tcp port 443 to 0\.0\.0\.0\/0\. Only the load balancer's security group/);
        assert.match(found.violations[0].urn ?? "", /::tasks-sg$/);
    });

    it("fails all-protocol rules open to ::/0", async () => {
        const db = resource(SG, "db-sg", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }] });
        assert.match(messages(await checkStack(noPublicIngress, [db]))[0], /opens all protocols and ports to ::\/0/);
    });

    it("checks standalone aws.ec2.SecurityGroupRule and aws.vpc.SecurityGroupIngressRule resources", async () => {
        const alb = albGroup([]);
        const tasks = resource(SG, "tasks-sg", {});
        const okRule = resource(INGRESS, "alb-https", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, { deps: { securityGroupId: [alb] } });
        const badRule = resource(INGRESS, "tasks-open", { ipProtocol: "tcp", fromPort: 3000, toPort: 3000, cidrIpv4: "0.0.0.0/0" }, { deps: { securityGroupId: [tasks] } });
        const badEc2Rule = resource(RULE, "redis-open", { type: "ingress", protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"] }, { deps: { securityGroupId: [tasks] } });
        const egress = resource(RULE, "egress-all", { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] });
        const found = messages(await checkStack(noPublicIngress, [alb, tasks, okRule, badRule, badEc2Rule, egress, loadBalancer([alb])]));
        assert.strictEqual(found.length, 2, found.join("\n"));
        assert.match(found[0], /^ingress rule tasks-open opens tcp port 3000/);
        assert.match(found[1], /^security group rule redis-open opens tcp port 6379/);
    });
});
