/**
 * Databases and caches hold the data and the credentials; these policies keep them off
 * the internet, encrypted, backed up, and behind TLS plus a password.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES, bool, forTypes, num, str } from "./props";

export const databasePrivate: ResourceValidationPolicy = {
    name: "database-private",
    description: "RDS instances must not be publicly accessible.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([TYPES.dbInstance, TYPES.dbClusterInstance], (props, args, report) => {
        if (bool(props, "publiclyAccessible") === true) {
            report(
                `${args.name} has publiclyAccessible: true. Set publiclyAccessible: false and keep it in the private ` +
                    `subnets; the tasks reach it through the VPC.`,
            );
        }
    }),
};

export const databaseEncrypted: ResourceValidationPolicy = {
    name: "database-encrypted",
    description: "RDS storage must be encrypted at rest.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([TYPES.dbInstance, TYPES.dbCluster], (props, args, report) => {
        if (bool(props, "storageEncrypted") !== true) {
            report(
                `${args.name} does not set storageEncrypted: true. Set it (optionally with kmsKeyId); encryption can ` +
                    `only be chosen when the database is created.`,
            );
        }
    }),
};

export const databaseBackups: ResourceValidationPolicy = {
    name: "database-backups",
    description: "RDS must keep automated backups (backupRetentionPeriod 1–35 days, set explicitly).",
    enforcementLevel: "mandatory",
    validateResource: forTypes([TYPES.dbInstance, TYPES.dbCluster], (props, args, report) => {
        // Read replicas take their backups from the source; AWS allows 0 there.
        if (str(props, "replicateSourceDb") !== undefined) {
            return;
        }
        const days = num(props, "backupRetentionPeriod");
        if (days === undefined || days < 1) {
            report(
                `${args.name} has backupRetentionPeriod ${days ?? "unset"}. Set backupRetentionPeriod to 1–35 days ` +
                    `(0 turns automated backups and point-in-time recovery off).`,
            );
        }
    }),
};

export const cacheTlsAndAuth: ResourceValidationPolicy = {
    name: "cache-tls-and-auth",
    description: "ElastiCache replication groups must require TLS in transit and an auth token.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([TYPES.replicationGroup], (props, args, report) => {
        if (bool(props, "transitEncryptionEnabled") !== true) {
            report(`${args.name} does not set transitEncryptionEnabled: true. Set it; clients then connect with rediss://.`);
        }
        // "preferred" accepts plaintext clients too, which is what this policy exists to stop.
        const mode = str(props, "transitEncryptionMode");
        if (mode !== undefined && mode !== "required") {
            report(`${args.name} has transitEncryptionMode ${JSON.stringify(mode)}. Set it to "required" (or leave it unset).`);
        }
        const token = str(props, "authToken");
        const tokenWo = str(props, "authTokenWo");
        if ((token === undefined || token === "") && (tokenWo === undefined || tokenWo === "")) {
            report(
                `${args.name} has no authToken. Set authToken (16–128 chars, e.g. from random.RandomPassword, kept in ` +
                    `Secrets Manager); it needs transitEncryptionEnabled: true.`,
            );
        }
    }),
};

export const cacheEncryptedAtRest: ResourceValidationPolicy = {
    name: "cache-encrypted-at-rest",
    description: "ElastiCache replication groups must be encrypted at rest.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([TYPES.replicationGroup], (props, args, report) => {
        if (bool(props, "atRestEncryptionEnabled") !== true) {
            report(`${args.name} does not set atRestEncryptionEnabled: true. Set it; it can only be chosen at creation.`);
        }
    }),
};
