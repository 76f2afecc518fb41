/**
 * A container's plain `environment` is stored in the task definition, shown in the ECS
 * console and in `pulumi preview` diffs, and readable by anyone with
 * ecs:DescribeTaskDefinition. Secrets go through the container's `secrets` (valueFrom a
 * Secrets Manager or SSM ARN), which ECS resolves when the task starts.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { parseContainerDefinitions } from "./container-definitions";
import { TYPES, forTypes } from "./props";

/** Names that say "I am a credential": DB_PASSWORD, REDIS_AUTH_TOKEN, NEXTAUTH_SECRET, *_ENCRYPTION_KEY. */
const SECRET_NAME = /(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIALS?|API_?KEY|PRIVATE_KEY|ACCESS_KEY)(_|$)|_KEY$/i;
/** A URL with a password in it: postgres://user:pass@host/db, rediss://:token@host. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;
/** AWS access key ids. */
const AWS_ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/;

export interface EnvFinding {
    readonly container: string;
    readonly name: string;
    readonly reason: string;
}

/** Why an environment entry looks like a secret, or undefined when it does not. */
export function secretReason(name: string, value: string): string | undefined {
    if (URL_WITH_PASSWORD.test(value)) {
        return "its value is a URL with a password in it";
    }
    if (AWS_ACCESS_KEY_ID.test(value)) {
        return "its value contains an AWS access key id";
    }
    // A reference to a secret (an ARN) is not the secret; an empty value holds nothing.
    if (value === "" || value.startsWith("arn:")) {
        return undefined;
    }
    if (SECRET_NAME.test(name)) {
        return "its name says it is a credential";
    }
    return undefined;
}

export const noSecretsInTaskEnvironment: ResourceValidationPolicy = {
    name: "no-secrets-in-task-environment",
    description: "Secrets reach containers through `secrets` (Secrets Manager/SSM), never the plain `environment`.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedNames: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Environment names that look like secrets but are not (e.g. a public key).",
            },
        },
    },
    validateResource: forTypes([TYPES.taskDefinition], (props, args, report) => {
        const parsed = parseContainerDefinitions(props["containerDefinitions"]);
        if (!parsed.ok) {
            return; // connection-budget-fits reports an unreadable definition.
        }
        const config = args.getConfig<{ allowedNames?: string[] }>();
        const allowed = new Set(config.allowedNames ?? []);
        for (const c of parsed.containers) {
            for (const e of c.environment) {
                const reason = allowed.has(e.name) ? undefined : secretReason(e.name, e.value);
                if (reason !== undefined) {
                    report(
                        `${args.name}: container ${c.name} has ${e.name} in its plain environment, and ${reason}. ` +
                            `Store it in Secrets Manager and pass it in the container's \`secrets\` ` +
                            `({name: "${e.name}", valueFrom: <secret ARN>}); if it is not a secret, add it to this ` +
                            `policy's allowedNames.`,
                    );
                }
            }
        }
    }),
};
