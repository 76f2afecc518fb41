import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { storedSecret } from "./stored-secret";

export type CacheEngine = "redis" | "valkey";

export interface CacheArgs {
    readonly engine: CacheEngine;
    readonly nodeType: string;
    /** A replica in another AZ with automatic failover. */
    readonly multiAz: boolean;
    readonly subnetIds: pulumi.Input<string>[];
    readonly securityGroupId: pulumi.Input<string>;
    /** Take a final snapshot on delete, keep the auth-token secret recoverable for 30 days. */
    readonly deletionProtection: boolean;
}

/** Engine version and matching default parameter group; cluster mode stays off (some Next.js cache handlers break with it). */
const ENGINES: Readonly<Record<CacheEngine, { version: string; parameterGroup: string }>> = {
    redis: { version: "7.1", parameterGroup: "default.redis7" },
    valkey: { version: "8.0", parameterGroup: "default.valkey8" },
};

export const CACHE_PORT = 6379;

/**
 * One ElastiCache replication group shared by every task: TLS in transit, encrypted at
 * rest, an auth token from `random` kept in Secrets Manager, and in prod a second node in
 * another AZ with automatic failover.
 */
export class Cache extends pulumi.ComponentResource {
    /** Primary endpoint host; tasks connect with rediss:// on CACHE_PORT. */
    public readonly primaryEndpoint: pulumi.Output<string>;
    /** Secrets Manager ARN of the auth token. */
    public readonly authTokenSecretArn: pulumi.Output<string>;
    /** The replication group id (for alarms and the console). */
    public readonly replicationGroupId: pulumi.Output<string>;
    /** The group's member clusters (`<group>-001`, …), the CacheClusterId CloudWatch reports under. */
    public readonly memberClusterIds: pulumi.Output<string[]>;
    /** How many member clusters (nodes) the group has: known at preview, unlike their ids. */
    public readonly clusterCount: number;

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webfleet:data:Cache", name, {}, opts);
        const token = storedSecret(`${name}-auth`, this, {
            // 16–128 printable characters; the only punctuation ElastiCache accepts is ! & # $ ^ < > -
            length: 64,
            special: "!&#$^<>-",
            description: "webfleet Redis auth token (REDIS_AUTH_TOKEN)",
            recoveryWindowInDays: args.deletionProtection ? 30 : 0,
        });
        const subnets = new aws.elasticache.SubnetGroup(`${name}-subnets`, {
            description: "webfleet cache: private subnets",
            subnetIds: args.subnetIds,
        }, { parent: this });

        const engine = ENGINES[args.engine];
        const clusterCount = args.multiAz ? 2 : 1;
        const group = new aws.elasticache.ReplicationGroup(`${name}-rg`, {
            description: "webfleet shared cache",
            engine: args.engine,
            engineVersion: engine.version,
            parameterGroupName: engine.parameterGroup,
            nodeType: args.nodeType,
            port: CACHE_PORT,
            // Failover and Multi-AZ need at least 2 nodes.
            numCacheClusters: clusterCount,
            automaticFailoverEnabled: args.multiAz,
            multiAzEnabled: args.multiAz,
            transitEncryptionEnabled: true, // an auth token requires TLS
            atRestEncryptionEnabled: true,
            authToken: token.value,
            subnetGroupName: subnets.name,
            securityGroupIds: [args.securityGroupId],
            snapshotRetentionLimit: args.deletionProtection ? 7 : 0,
            finalSnapshotIdentifier: args.deletionProtection ? `${name}-final` : undefined,
            autoMinorVersionUpgrade: true,
        }, { parent: this });

        this.primaryEndpoint = group.primaryEndpointAddress;
        this.authTokenSecretArn = token.secretArn;
        this.replicationGroupId = group.id;
        this.memberClusterIds = group.memberClusters;
        this.clusterCount = clusterCount;
        this.registerOutputs({
            memberClusterIds: this.memberClusterIds,
            primaryEndpoint: this.primaryEndpoint,
            authTokenSecretArn: this.authTokenSecretArn,
            replicationGroupId: this.replicationGroupId,
        });
    }
}
