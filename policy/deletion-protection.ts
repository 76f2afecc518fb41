/**
 * In production, deleting the database (or the image repository) must take two
 * deliberate steps: turn protection off in a reviewed change, then delete.
 *
 * Which stacks are production: policies cannot call `pulumi.getStack()`, and the program's
 * settings are not visible to them, so the stack name is read from each resource's URN
 * (`urn:pulumi:<stack>::…`) and compared with the policy's `prodStacks` config (default
 * ["prod"]). Deciding from the resources ("Multi-AZ means prod") was rejected: it would
 * silently stop protecting prod the day someone turns Multi-AZ off to save money.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES, bool, forTypes, stackOf, str } from "./props";

export const DEFAULT_PROD_STACKS: readonly string[] = ["prod"];

export const prodDeletionProtection: ResourceValidationPolicy = {
    name: "prod-deletion-protection",
    description: "In production stacks, databases have deletion protection and a final snapshot, and the ECR repository is not force-deleted.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            prodStacks: {
                type: "array",
                items: { type: "string" },
                default: [...DEFAULT_PROD_STACKS],
                description: "Stack names treated as production.",
            },
        },
    },
    validateResource: forTypes([TYPES.dbInstance, TYPES.dbCluster, TYPES.ecrRepository], (props, args, report) => {
        const prodStacks = args.getConfig<{ prodStacks?: string[] }>().prodStacks ?? DEFAULT_PROD_STACKS;
        const stack = stackOf(args.urn);
        if (stack === undefined || !prodStacks.includes(stack)) {
            return;
        }
        if (args.type === TYPES.ecrRepository) {
            if (bool(props, "forceDelete") === true) {
                report(`${args.name} has forceDelete: true in production stack "${stack}", so deleting it deletes every image. Set forceDelete: false.`);
            }
            return;
        }
        if (bool(props, "deletionProtection") !== true) {
            report(`${args.name} has no deletion protection in production stack "${stack}". Set deletionProtection: true.`);
        }
        if (bool(props, "skipFinalSnapshot") === true) {
            report(`${args.name} has skipFinalSnapshot: true in production stack "${stack}". Set skipFinalSnapshot: false and a finalSnapshotIdentifier.`);
        } else if ((str(props, "finalSnapshotIdentifier") ?? "") === "") {
            report(
                `${args.name} keeps a final snapshot but has no finalSnapshotIdentifier in production stack "${stack}", ` +
                    `so a replace or destroy would fail. Set finalSnapshotIdentifier.`,
            );
        }
    }),
};
