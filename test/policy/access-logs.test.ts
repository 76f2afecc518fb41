import * as assert from "assert";
import { albAccessLogs } from "../../policy/policies";
import { checkResource, messages } from "./fakes";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const alb = { loadBalancerType: "application", internal: false, enableDeletionProtection: true };
const logged = { ...alb, accessLogs: { bucket: "webfleet-prod-logs-bucket-abc1234", prefix: "alb", enabled: true } };

describe("policy alb-access-logs", () => {
    it("passes a prod load balancer that writes access logs", async () => {
        assert.deepStrictEqual(messages(await checkResource(albAccessLogs, LB, logged, { stack: "prod" })), []);
    });

    it("rejects the old behaviour: an internet-facing prod load balancer without access logs", async () => {
        const found = messages(await checkResource(albAccessLogs, LB, alb, { stack: "prod", name: "alb" }));
        assert.deepStrictEqual(found, [
            'alb is an internet-facing load balancer in prod-like stack "prod" without access logs. Set accessLogs: {bucket, prefix, enabled: true} with a bucket ELB may write to (in webfleet: accessLogs: true).',
        ]);
    });

    it("rejects access logs that are turned off or have no bucket", async () => {
        for (const accessLogs of [{ bucket: "b", enabled: false }, { bucket: "", enabled: true }, { bucket: "b" }]) {
            assert.strictEqual(messages(await checkResource(albAccessLogs, LB, { ...alb, accessLogs }, { stack: "prod" })).length, 1, JSON.stringify(accessLogs));
        }
    });

    it("leaves dev alone (logs off by design) unless its load balancer is protected like prod", async () => {
        assert.deepStrictEqual(messages(await checkResource(albAccessLogs, LB, { ...alb, enableDeletionProtection: false }, { stack: "dev" })), []);
        assert.strictEqual(messages(await checkResource(albAccessLogs, LB, alb, { stack: "dev" })).length, 1);
    });

    it("leaves internal and network load balancers alone", async () => {
        assert.deepStrictEqual(messages(await checkResource(albAccessLogs, LB, { ...alb, internal: true }, { stack: "prod" })), []);
        assert.deepStrictEqual(messages(await checkResource(albAccessLogs, LB, { ...alb, loadBalancerType: "network" }, { stack: "prod" })), []);
    });

    it("takes production stack names from policy config", async () => {
        const unprotected = { ...alb, enableDeletionProtection: false };
        assert.strictEqual(messages(await checkResource(albAccessLogs, LB, unprotected, { stack: "live", config: { prodStacks: ["live"] } })).length, 1);
        assert.deepStrictEqual(messages(await checkResource(albAccessLogs, LB, unprotected, { stack: "prod", config: { prodStacks: ["live"] } })), []);
    });
});
