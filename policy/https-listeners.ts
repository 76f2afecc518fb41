/**
 * In a prod-like stack, nothing on the internet is served in plain text: every listener
 * of an internet-facing Application Load Balancer either serves HTTPS with a policy of
 * TLS 1.2 or newer, or redirects to HTTPS.
 *
 * A stack policy because "whose listener is this, and does that load balancer face the
 * internet?" is a question about two resources; it is answered from the listener's
 * `loadBalancerArn` dependency, which is known during a preview while the ARN is not.
 * A listener whose load balancer is not in the stack is judged by the stack name alone.
 *
 * Stacks that terminate TLS in front of the load balancer (webfleet's `allowPlainHttp`)
 * must also be listed in this policy's `plainHttpStacks`: two deliberate, reviewed steps.
 */
import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { isInternetFacingAlb, PROD_STACKS_SCHEMA, ProdLikeConfig, prodLikeStack } from "./prod-like";
import { isRecord } from "./is-record";
import { Props, TYPES, num, records, str } from "./props";

/** ELB security policies whose lowest protocol is TLS 1.2 (`-1-2-`) or 1.3 (`-1-3-`). */
const MODERN_TLS_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-/;
export const RECOMMENDED_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

interface Config extends ProdLikeConfig {
    readonly plainHttpStacks?: readonly string[];
}

function redirectsToHttps(listener: Props): boolean {
    const actions = records(listener, "defaultActions");
    return (
        actions.length > 0 &&
        actions.every((a) => {
            const redirect = a["redirect"];
            return str(a, "type") === "redirect" && isRecord(redirect) && str(redirect, "protocol") === "HTTPS";
        })
    );
}

function loadBalancerOf(listener: PolicyResource): PolicyResource | undefined {
    return (listener.propertyDependencies["loadBalancerArn"] ?? []).find((d) => d.type === TYPES.loadBalancer);
}

function validateListeners(args: StackValidationArgs, report: ReportViolation): void {
    const config = args.getConfig<Config>();
    for (const listener of args.resources.filter((r) => r.type === TYPES.listener)) {
        const lb = loadBalancerOf(listener);
        if (lb !== undefined && !isInternetFacingAlb(lb.props)) {
            continue;
        }
        const stack = prodLikeStack(listener.urn, lb?.props, config);
        if (stack === undefined || (config.plainHttpStacks ?? []).includes(stack)) {
            continue;
        }
        const where = `listener ${listener.name} (port ${num(listener.props, "port") ?? "?"}) of internet-facing load balancer ${lb?.name ?? "(outside this stack)"} in prod-like stack "${stack}"`;
        const protocol = str(listener.props, "protocol") ?? "HTTP";
        if (protocol === "HTTPS") {
            const policy = str(listener.props, "sslPolicy");
            if (policy === undefined || !MODERN_TLS_POLICY.test(policy)) {
                report(
                    `${where} uses TLS policy ${policy ?? "(unset: the API default ELBSecurityPolicy-2016-08, which accepts TLS 1.0)"}. ` +
                        `Set sslPolicy: "${RECOMMENDED_TLS_POLICY}" (TLS 1.3 with 1.2 fallback) or another ELBSecurityPolicy-TLS13-1-2-* / -1-3-* policy.`,
                    listener.urn,
                );
            }
            continue;
        }
        if (!redirectsToHttps(listener.props)) {
            const actions = records(listener.props, "defaultActions").map((a) => str(a, "type") ?? "?").join(", ") || "none";
            report(
                `${where} serves plain ${protocol} (default actions: ${actions}). Serve HTTPS with a certificate, or redirect to it: ` +
                    `defaultActions [{type: "redirect", redirect: {protocol: "HTTPS", port: "443", statusCode: "HTTP_301"}}]. ` +
                    `In webfleet set domainName + hostedZoneName (or certificateArn). If TLS really ends in front of the load ` +
                    `balancer, set allowPlainHttp and list the stack in this policy's plainHttpStacks.`,
                listener.urn,
            );
        }
    }
}

export const httpsListeners: StackValidationPolicy = {
    name: "https-listeners",
    description: "In prod-like stacks, every listener of an internet-facing ALB serves HTTPS (TLS 1.2 or newer) or redirects to HTTPS.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            prodStacks: PROD_STACKS_SCHEMA,
            plainHttpStacks: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Prod-like stacks allowed to serve plain HTTP because TLS is terminated in front of the load balancer.",
            },
        },
    },
    validateStack: validateListeners,
};
