import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { httpsListeners } from "../../policy/policies";
import { checkStack, messages, resource } from "./fakes";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";

const forward = [{ type: "forward", targetGroupArn: "tg" }];
const redirect = (protocol = "HTTPS"): Array<Record<string, unknown>> => [{ type: "redirect", redirect: { port: "443", protocol, statusCode: "HTTP_301" } }];
/** `null`: no sslPolicy at all. */
const https = (sslPolicy: string | null = "ELBSecurityPolicy-TLS13-1-2-2021-06"): Record<string, unknown> => ({
    port: 443,
    protocol: "HTTPS",
    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x",
    ...(sslPolicy === null ? {} : { sslPolicy }),
    defaultActions: forward,
});

function stackOf(stack: string, lbProps: Record<string, unknown>, listeners: Array<Record<string, unknown>>): PolicyResource[] {
    const lb = resource(LB, "alb", { loadBalancerType: "application", internal: false, ...lbProps }, { stack });
    return [lb, ...listeners.map((props, i) => resource(LISTENER, `listener-${i}`, props, { stack, deps: { loadBalancerArn: [lb] } }))];
}

describe("policy https-listeners", () => {
    it("passes prod's HTTPS listener (TLS 1.3 with 1.2 fallback) with HTTP redirecting to HTTPS", async () => {
        const found = messages(await checkStack(httpsListeners, stackOf("prod", {}, [https(), { port: 80, protocol: "HTTP", defaultActions: redirect() }])));
        assert.deepStrictEqual(found, []);
    });

    it("rejects the old behaviour: prod forwarding plain HTTP on port 80 to the tasks", async () => {
        const found = messages(await checkStack(httpsListeners, stackOf("prod", {}, [{ port: 80, protocol: "HTTP", defaultActions: forward }])));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /^listener listener-0 \(port 80\) of internet-facing load balancer alb in prod-like stack "prod" serves plain HTTP \(default actions: forward\)\. .*redirect.*domainName/);
    });

    it("rejects a redirect that stays on HTTP", async () => {
        const found = messages(await checkStack(httpsListeners, stackOf("prod", {}, [{ port: 80, protocol: "HTTP", defaultActions: redirect("HTTP") }])));
        assert.strictEqual(found.length, 1);
    });

    it("rejects an HTTPS listener with an old or unset TLS policy", async () => {
        const found = messages(await checkStack(httpsListeners, stackOf("prod", {}, [https("ELBSecurityPolicy-2016-08"), https(null), https("ELBSecurityPolicy-TLS13-1-0-2021-06")])));
        assert.strictEqual(found.length, 3);
        assert.match(found[0], /uses TLS policy ELBSecurityPolicy-2016-08\. Set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"/);
        assert.match(found[1], /\(unset: the API default ELBSecurityPolicy-2016-08, which accepts TLS 1\.0\)/);
        assert.deepStrictEqual(messages(await checkStack(httpsListeners, stackOf("prod", {}, [https("ELBSecurityPolicy-TLS13-1-3-2021-06")]))), []);
    });

    it("leaves dev alone, unless its load balancer has deletion protection (the program's prod-like marker)", async () => {
        const plain = [{ port: 80, protocol: "HTTP", defaultActions: forward }];
        assert.deepStrictEqual(messages(await checkStack(httpsListeners, stackOf("dev", {}, plain))), []);
        assert.strictEqual(messages(await checkStack(httpsListeners, stackOf("dev", { enableDeletionProtection: true }, plain))).length, 1);
    });

    it("leaves internal load balancers and network load balancers alone", async () => {
        const plain = [{ port: 80, protocol: "HTTP", defaultActions: forward }];
        assert.deepStrictEqual(messages(await checkStack(httpsListeners, stackOf("prod", { internal: true }, plain))), []);
        assert.deepStrictEqual(messages(await checkStack(httpsListeners, stackOf("prod", { loadBalancerType: "network" }, [{ port: 80, protocol: "TCP", defaultActions: forward }]))), []);
    });

    it("judges a listener whose load balancer is outside the stack by the stack name", async () => {
        const orphan = resource(LISTENER, "orphan", { port: 80, protocol: "HTTP", defaultActions: forward }, { stack: "prod" });
        assert.match(messages(await checkStack(httpsListeners, [orphan]))[0], /load balancer \(outside this stack\)/);
    });

    it("takes production stack names and the plain-HTTP exemption from policy config", async () => {
        const plain = [{ port: 80, protocol: "HTTP", defaultActions: forward }];
        assert.strictEqual(messages(await checkStack(httpsListeners, stackOf("prod-eu", {}, plain), { prodStacks: ["prod-eu"] })).length, 1);
        assert.deepStrictEqual(messages(await checkStack(httpsListeners, stackOf("prod", {}, plain), { plainHttpStacks: ["prod"] })), []);
    });
});
