import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { storageCeilingGb } from "../lib/db-storage";
import { storedSecret } from "./stored-secret";

export interface DatabaseArgs {
    /** The class this `up` sets: lib/transition.ts keeps the deployed one while a lower limit waits. */
    readonly instanceClass: pulumi.Input<string>;
    /** PostgreSQL major version; selects the parameter group family postgres<version>. */
    readonly engineVersion: pulumi.Input<string>;
    readonly allocatedStorageGb: number;
    readonly backupRetentionDays: number;
    readonly multiAz: boolean;
    /** `max_connections` this `up` writes, from the capacity plan (lib/transition.ts). */
    readonly maxConnections: pulumi.Input<number>;
    /**
     * The max_connections the budget trusts to be live: lower than `maxConnections` while a
     * raise waits for a reboot. Tagged on the parameter group (LIVE_MAX_CONNECTIONS_TAG) so
     * the policy pack checks the pools against it.
     */
    readonly liveMaxConnections: pulumi.Input<number>;
    /** Database name: letters, digits, underscores. */
    readonly dbName: string;
    readonly subnetIds: pulumi.Input<string>[];
    readonly securityGroupId: pulumi.Input<string>;
    /** Deletion protection, a final snapshot on delete, and a recoverable password secret. */
    readonly deletionProtection: boolean;
}

export const DB_PORT = 5432;
/** Parameter-group tag with the live limit the budget trusts (policy/connection-budget.ts reads it). */
export const LIVE_MAX_CONNECTIONS_TAG = "webfleet:live-max-connections";
/** `admin` and `rdsadmin` are reserved on RDS PostgreSQL. */
export const DB_USERNAME = "webfleet";

/**
 * RDS PostgreSQL in private subnets: encrypted, never public, TLS forced, backups on, and
 * `max_connections` set explicitly to the value the connection budget was computed from.
 */
export class Database extends pulumi.ComponentResource {
    /** Host name (no port). */
    public readonly address: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    /** Secrets Manager ARN of the master password. */
    public readonly passwordSecretArn: pulumi.Output<string>;
    /** Instance identifier, for CloudWatch alarms. */
    public readonly instanceId: pulumi.Output<string>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webfleet:data:Database", name, {}, opts);
        const password = storedSecret(`${name}-password`, this, {
            // RDS rejects / " @ and space in master passwords.
            length: 40,
            special: "!#$%^&*()-_=+[]{}<>:?",
            description: "webfleet PostgreSQL master password (PGPASSWORD)",
            recoveryWindowInDays: args.deletionProtection ? 30 : 0,
        });
        const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, {
            description: "webfleet database: private subnets",
            subnetIds: args.subnetIds,
        }, { parent: this });

        const parameters = new aws.rds.ParameterGroup(`${name}-params`, {
            family: pulumi.interpolate`postgres${args.engineVersion}`,
            // Constant: a changed description replaces the group, and the new group would wait
            // for a reboot as a whole (terraform-provider-aws parameter_group.go: ForceNew).
            description: "webfleet: max_connections from the connection budget, TLS forced",
            parameters: [
                // Static parameter: RDS rejects "immediate"; it takes effect at the next reboot.
                { name: "max_connections", value: pulumi.output(args.maxConnections).apply(String), applyMethod: "pending-reboot" },
                // Default from PostgreSQL 15, set explicitly so an older family cannot drop it.
                { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
            ],
            tags: { [LIVE_MAX_CONNECTIONS_TAG]: pulumi.output(args.liveMaxConnections).apply(String) },
        }, { parent: this });

        // Final snapshot names must be unique in the account and region: a fixed name fails
        // the second time ("DBSnapshotAlreadyExists"). The suffix is kept across `up`s and
        // renewed with what would replace the instance (its database name and user).
        const snapshotSuffix = new random.RandomId(`${name}-snapshot-id`, {
            byteLength: 4,
            keepers: { dbName: args.dbName, username: DB_USERNAME },
        }, { parent: this });

        const instance = new aws.rds.Instance(`${name}-pg`, {
            engine: "postgres",
            engineVersion: args.engineVersion,
            instanceClass: args.instanceClass,
            allocatedStorage: args.allocatedStorageGb,
            // 5 × allocated within RDS's 64 TiB, and ≥ 110 % of allocated; 0 turns autoscaling off.
            maxAllocatedStorage: storageCeilingGb(args.allocatedStorageGb) ?? 0,
            storageType: "gp3",
            storageEncrypted: true,
            dbName: args.dbName,
            username: DB_USERNAME,
            password: password.value,
            port: DB_PORT,
            dbSubnetGroupName: subnets.name,
            vpcSecurityGroupIds: [args.securityGroupId],
            parameterGroupName: parameters.name,
            publiclyAccessible: false,
            multiAz: args.multiAz,
            backupRetentionPeriod: args.backupRetentionDays,
            copyTagsToSnapshot: true,
            deletionProtection: args.deletionProtection,
            skipFinalSnapshot: !args.deletionProtection,
            // Without an identifier, replace or destroy fails when skipFinalSnapshot is false.
            finalSnapshotIdentifier: args.deletionProtection ? pulumi.interpolate`${name}-final-${snapshotSuffix.hex}` : undefined,
            autoMinorVersionUpgrade: true,
            // A new dbEngineVersion is a major upgrade (with a parameter group of the new
            // family); RDS refuses one without this. Downgrades are refused before that, by
            // lib/transition.ts against the deployed version.
            allowMajorVersionUpgrade: true,
            // What an `up` shows is what happens, while someone watches: a class, storage,
            // Multi-AZ or engine change does not wait for the maintenance window, where it would
            // apply unreviewed at an unknown time. A class or engine change restarts the instance
            // (a failover with Multi-AZ). It does not make a changed max_connections certain:
            // the budget waits for a confirmed reboot (lib/transition.ts).
            applyImmediately: true,
            enabledCloudwatchLogsExports: ["postgresql"],
        }, { parent: this });

        this.address = instance.address;
        this.port = instance.port;
        this.passwordSecretArn = password.secretArn;
        this.instanceId = instance.identifier;
        this.registerOutputs({
            address: this.address,
            port: this.port,
            passwordSecretArn: this.passwordSecretArn,
            instanceId: this.instanceId,
        });
    }
}
