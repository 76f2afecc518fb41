/**
 * Which load balancers the edge policies hold to production rules. Policies cannot see
 * the program's settings, so a stack is prod-like when either
 * - its name (from each resource's URN) is in the policy's `prodStacks` config (default
 *   ["prod"], as for prod-deletion-protection), or
 * - the load balancer itself has deletion protection on, which is how the program marks a
 *   prod-like stack (`deletionProtection: true`).
 * Either signal is enough, so neither renaming a stack nor turning protection off in a
 * stack called prod loosens the rules.
 */
import { DEFAULT_PROD_STACKS } from "./deletion-protection";
import { Props, bool, stackOf, str } from "./props";

export interface ProdLikeConfig {
    readonly prodStacks?: readonly string[];
}

export const PROD_STACKS_SCHEMA = {
    type: "array",
    items: { type: "string" },
    default: [...DEFAULT_PROD_STACKS],
    description: "Stack names treated as production (besides any stack whose load balancer has deletion protection).",
} as const;

/** The stack a prod-like load balancer belongs to, or undefined when the rules do not apply. */
export function prodLikeStack(urn: string, loadBalancer: Props | undefined, config: ProdLikeConfig): string | undefined {
    const stack = stackOf(urn) ?? "(unknown stack)";
    const byName = (config.prodStacks ?? DEFAULT_PROD_STACKS).includes(stack);
    const byProtection = loadBalancer !== undefined && bool(loadBalancer, "enableDeletionProtection") === true;
    return byName || byProtection ? stack : undefined;
}

/** An application load balancer facing the internet (`internal` unset or false). */
export function isInternetFacingAlb(loadBalancer: Props): boolean {
    const type = str(loadBalancer, "loadBalancerType") ?? "application";
    return type === "application" && bool(loadBalancer, "internal") !== true;
}
