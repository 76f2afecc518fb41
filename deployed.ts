/**
 * What is deployed, and what this `up` may set. The program reads its own stack's last
 * `capacityPlan` output through a StackReference to itself (pulumi/pulumi#3722): the
 * stack exists during its own preview and update, and on the first deploy it has no such
 * output. lib/transition.ts turns that and the new settings into this `up`'s step; a
 * change that cannot be made safely stops the preview with a ConfigError, before any
 * resource that depends on it is touched.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./lib/problems";
import { Settings } from "./lib/settings";
import { CapacityPlanOutput, capacityOutput, planTransition, readDeployedPlan, TransitionInput } from "./lib/transition";

export function transitionInput(settings: Settings): TransitionInput {
    return {
        replicas: settings.replicas,
        maxReplicas: settings.maxReplicas,
        deploymentMaximumPercent: settings.deploymentMaximumPercent,
        dbMaxConnections: settings.dbMaxConnections,
        dbReservedConnections: settings.dbReservedConnections,
        dbPoolMaxPerTask: settings.dbPoolMaxPerTask,
        dbPoolMinPerTask: settings.dbPoolMinPerTask,
        dbInstanceClass: settings.dbInstanceClass,
        dbEngineVersion: settings.dbEngineVersion,
        dbMaxConnectionsConfirmed: settings.dbMaxConnectionsConfirmed,
    };
}

/** This `up`'s capacity plan, from the deployed one (read back from the stack) and the settings. */
export function planThisUp(name: string, settings: Settings): pulumi.Output<CapacityPlanOutput> {
    const self = new pulumi.StackReference(name, {
        name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
    });
    const input = transitionInput(settings);
    return self.getOutput("capacityPlan").apply((value: unknown) => {
        const result = planTransition(readDeployedPlan(value), input);
        if (!result.ok) {
            throw new ConfigError(result.problems, pulumi.getStack());
        }
        for (const note of result.plan.notes) {
            pulumi.log.warn(`capacityPlan: ${note}`);
        }
        return capacityOutput(input, result.plan);
    });
}
