/**
 * The webfleet policy pack, run in pull-request previews and deploys with
 * `pulumi preview --policy-pack policy/`. The policies live in ./policies.ts.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("webfleet", {
    description: "Guardrails for webfleet: the connection budget, private encrypted data stores, no public ingress but the load balancer, no plaintext secrets, protected production data, HTTPS and access logs on production load balancers.",
    enforcementLevel: "mandatory",
    policies,
});
