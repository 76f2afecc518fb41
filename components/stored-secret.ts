import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface StoredSecret {
    /** The generated value (a Pulumi secret: encrypted in state, masked in output). */
    readonly value: pulumi.Output<string>;
    /** Secrets Manager ARN; tasks get the value through ECS `secrets`, never plain env. */
    readonly secretArn: pulumi.Output<string>;
}

/**
 * A random credential kept in Secrets Manager. `special` lists the only punctuation the
 * consuming service accepts (RDS rejects / " @ and space; ElastiCache auth tokens allow
 * only ! & # $ ^ < > -), so a generated value can never be refused at create time.
 */
export function storedSecret(
    name: string,
    parent: pulumi.Resource,
    spec: { readonly length: number; readonly special: string; readonly description: string; readonly recoveryWindowInDays: number },
): StoredSecret {
    const password = new random.RandomPassword(name, {
        length: spec.length,
        special: true,
        overrideSpecial: spec.special,
        minLower: 1,
        minUpper: 1,
        minNumeric: 1,
    }, { parent });
    const secret = new aws.secretsmanager.Secret(name, {
        description: spec.description,
        recoveryWindowInDays: spec.recoveryWindowInDays,
    }, { parent });
    new aws.secretsmanager.SecretVersion(name, { secretId: secret.id, secretString: password.result }, { parent });
    return { value: password.result, secretArn: secret.arn };
}
