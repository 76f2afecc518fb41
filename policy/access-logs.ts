/**
 * In a prod-like stack, an internet-facing Application Load Balancer writes access logs:
 * the only record of requests the load balancer rejects or times out, which the app's
 * own logs never see. Dev stacks are left alone (logs cost storage and nobody audits
 * them); a dev stack whose load balancer has deletion protection counts as prod-like.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isInternetFacingAlb, PROD_STACKS_SCHEMA, ProdLikeConfig, prodLikeStack } from "./prod-like";
import { isRecord } from "./is-record";
import { TYPES, bool, forTypes, str } from "./props";

export const albAccessLogs: ResourceValidationPolicy = {
    name: "alb-access-logs",
    description: "In prod-like stacks, internet-facing ALBs write access logs to S3 (accessLogs.enabled with a bucket).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { prodStacks: PROD_STACKS_SCHEMA } },
    validateResource: forTypes([TYPES.loadBalancer], (props, args, report) => {
        const stack = prodLikeStack(args.urn, props, args.getConfig<ProdLikeConfig>());
        if (stack === undefined || !isInternetFacingAlb(props)) {
            return;
        }
        const logs = props["accessLogs"];
        const enabled = isRecord(logs) && bool(logs, "enabled") === true && (str(logs, "bucket") ?? "") !== "";
        if (!enabled) {
            report(
                `${args.name} is an internet-facing load balancer in prod-like stack "${stack}" without access logs. Set ` +
                    `accessLogs: {bucket, prefix, enabled: true} with a bucket ELB may write to (in webfleet: accessLogs: true).`,
            );
        }
    }),
};
