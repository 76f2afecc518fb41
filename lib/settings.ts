/**
 * Turns the raw config strings the Pulumi CLI hands the program into typed, validated
 * Settings — or into the full list of what is wrong.
 *
 * Pure: no Pulumi import and no file-system access (the Dockerfile check is injected), so
 * every rule is tested with a table of bad input, without mocks. Defaults live in exactly
 * one place, Pulumi.yaml; the CLI applies them before the program runs, so a key that has
 * a default there is required here (its absence means Pulumi.yaml lost it).
 */
import { CapacityPlan, MIN_RESERVED_CONNECTIONS, planCapacity } from "./capacity";
import { safeMaxConnections, MAX_CONNECTIONS_LIMIT } from "./db-instance-classes";
import {
    CPU_ARCHITECTURES,
    CpuArchitecture,
    describeMemoryOptions,
    FARGATE_CPU_VALUES,
    isValidFargateSize,
} from "./fargate";
import { ConfigProblem, problem } from "./problems";

/** Raw config: `replicas`, `maxReplicas`, … and `aws:region`, as strings, or undefined when unset. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

export type CacheEngine = "redis" | "valkey";

export interface Settings {
    readonly region: string;
    readonly replicas: number;
    /** Equals `replicas` when autoscaling is off. */
    readonly maxReplicas: number;
    readonly autoscaling: boolean;
    readonly autoscalingRequestsPerTarget: number;
    readonly deploymentMaximumPercent: number;
    readonly cpu: number;
    readonly memory: number;
    readonly cpuArchitecture: CpuArchitecture;
    readonly appPath: string;
    readonly azCount: number;
    readonly natGatewayPerAz: boolean;
    /** Reuse this VPC and its subnets instead of creating one (azCount and natGatewayPerAz then do not apply). */
    readonly existingVpc: ExistingVpc | undefined;
    readonly logRetentionDays: number;
    readonly certificateArn: string | undefined;
    readonly deletionProtection: boolean;
    readonly db: {
        readonly instanceClass: string;
        readonly engineVersion: string;
        readonly allocatedStorageGb: number;
        readonly backupRetentionDays: number;
        readonly multiAz: boolean;
        readonly maxConnections: number;
        readonly reservedConnections: number;
        readonly poolMaxPerTask: number;
        readonly poolMinPerTask: number;
    };
    readonly cache: {
        readonly engine: CacheEngine;
        readonly nodeType: string;
        readonly multiAz: boolean;
    };
    readonly capacity: CapacityPlan;
}

export interface ExistingVpc {
    readonly vpcId: string;
    /** For the ALB: at least 2, in different AZs, routed to an internet gateway. */
    readonly publicSubnetIds: readonly string[];
    /** For tasks, RDS and Redis: at least 2, in different AZs, with a NAT route for egress. */
    readonly privateSubnetIds: readonly string[];
}

export interface SettingsContext {
    /** True when `<appPath>/Dockerfile` exists (relative to the project directory). */
    readonly dockerfileExists: (appPath: string) => boolean;
}

export type SettingsResult =
    | { readonly ok: true; readonly settings: Settings }
    | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** Every project key the program reads, so tests can prove Pulumi.yaml declares each one. */
export const PROJECT_KEYS = [
    "replicas",
    "maxReplicas",
    "deploymentMaximumPercent",
    "autoscalingRequestsPerTarget",
    "cpu",
    "memory",
    "cpuArchitecture",
    "appPath",
    "azCount",
    "natGatewayPerAz",
    "vpcId",
    "publicSubnetIds",
    "privateSubnetIds",
    "logRetentionDays",
    "certificateArn",
    "deletionProtection",
    "dbInstanceClass",
    "dbEngineVersion",
    "dbAllocatedStorageGb",
    "dbBackupRetentionDays",
    "dbMultiAz",
    "dbMaxConnections",
    "dbReservedConnections",
    "dbPoolMaxPerTask",
    "dbPoolMinPerTask",
    "cacheEngine",
    "cacheNodeType",
    "cacheMultiAz",
] as const;

export type ProjectKey = (typeof PROJECT_KEYS)[number];

/** Keys whose Pulumi.yaml default (0 or "") means "not set". */
export const OPTIONAL_KEYS: readonly ProjectKey[] = [
    "maxReplicas",
    "certificateArn",
    "dbMaxConnections",
    "vpcId",
    "publicSubnetIds",
    "privateSubnetIds",
];

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export const DB_ENGINE_VERSIONS: readonly string[] = ["15", "16", "17"];
export const CACHE_ENGINES: readonly CacheEngine[] = ["redis", "valkey"];

/** ECS allows any maximumPercent, but webfleet keeps minimumHealthyPercent at 100, so a deploy needs room above 100. */
export const DEPLOY_PERCENT_MIN = 101;
export const DEPLOY_PERCENT_MAX = 200;
export const MAX_REPLICAS_LIMIT = 1000;

/**
 * Reads fields one by one, recording a problem for each bad one, so that a single run
 * reports everything. Each reader returns undefined when the value is unusable.
 */
class Reader {
    public readonly problems: ConfigProblem[] = [];

    constructor(private readonly raw: RawConfig) {}

    public value(key: string): string | undefined {
        const v = this.raw[key];
        return v === undefined ? undefined : v.trim();
    }

    public fail(key: string, given: unknown, allowed: string): undefined {
        this.problems.push(problem(key, given, allowed));
        return undefined;
    }

    /** A key Pulumi.yaml gives a default to; missing means the project file lost it. */
    private required(key: string, what: string): string | undefined {
        const v = this.value(key);
        if (v === undefined || v === "") {
            return this.fail(key, v, `${what} is required; Pulumi.yaml should declare a default for it.`);
        }
        return v;
    }

    /**
     * An integer in [min, max]. Optional keys take 0 (their Pulumi.yaml default) or an
     * empty value to mean "not set": the CLI requires a default for every declared key.
     */
    public integer(key: string, min: number, max: number, optional = false): number | undefined {
        const what = `an integer from ${min} to ${max}${optional ? " (or 0 for the default behaviour)" : ""}`;
        const v = optional ? this.value(key) : this.required(key, what);
        if (v === undefined || (optional && (v === "" || v === "0"))) {
            return undefined;
        }
        if (!/^-?\d+$/.test(v)) {
            return this.fail(key, v, `must be ${what} (whole number, no units).`);
        }
        const n = Number(v);
        if (!Number.isSafeInteger(n) || n < min || n > max) {
            return this.fail(key, v, `must be ${what}.`);
        }
        return n;
    }

    public boolean(key: string): boolean | undefined {
        const v = this.required(key, "true or false");
        if (v === undefined) {
            return undefined;
        }
        if (v === "true" || v === "false") {
            return v === "true";
        }
        return this.fail(key, v, "must be true or false.");
    }

    /** One of a fixed list; numbers are compared by value, so "1024" matches 1024. */
    public oneOf<T extends string | number>(key: string, allowed: readonly T[]): T | undefined {
        const list = allowed.join(", ");
        const v = this.required(key, `one of ${list}`);
        if (v === undefined) {
            return undefined;
        }
        const match = allowed.find((a) => String(a) === v);
        return match !== undefined ? match : this.fail(key, v, `must be one of ${list}.`);
    }

    /** Comma-separated ids, each matching `re`; empty or unset gives []. */
    public idList(key: string, re: RegExp, allowed: string): string[] | undefined {
        const v = this.value(key);
        if (v === undefined || v === "") {
            return [];
        }
        const ids = v.split(",").map((id) => id.trim());
        const bad = ids.filter((id) => !re.test(id));
        if (bad.length > 0) {
            return this.fail(key, v, `must be ${allowed}, comma-separated; not: ${bad.map((b) => JSON.stringify(b)).join(", ")}.`);
        }
        if (new Set(ids).size !== ids.length) {
            return this.fail(key, v, "lists a subnet twice.");
        }
        return ids;
    }

    public pattern(key: string, re: RegExp, allowed: string, optional = false): string | undefined {
        const v = optional ? this.value(key) : this.required(key, allowed);
        if (v === undefined || (optional && v === "")) {
            return undefined;
        }
        return re.test(v) ? v : this.fail(key, v, `must be ${allowed}.`);
    }
}

const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const CERT_ARN_RE = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DB_CLASS_RE = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const CACHE_NODE_RE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;
const VPC_ID_RE = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
const SUBNET_ID_RE = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
const APP_PATH_RE = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\/-]+$/;

export function parseSettings(raw: RawConfig, ctx: SettingsContext): SettingsResult {
    const r = new Reader(raw);

    const region = r.pattern("aws:region", REGION_RE, "an AWS region such as us-east-1 (set it with `pulumi config set aws:region <region>`)");
    const replicas = r.integer("replicas", 1, MAX_REPLICAS_LIMIT);
    const maxReplicasRaw = r.integer("maxReplicas", 1, MAX_REPLICAS_LIMIT, true);
    const deploymentMaximumPercent = r.integer("deploymentMaximumPercent", DEPLOY_PERCENT_MIN, DEPLOY_PERCENT_MAX);
    const autoscalingRequestsPerTarget = r.integer("autoscalingRequestsPerTarget", 1, 10_000_000);
    const cpu = r.oneOf("cpu", FARGATE_CPU_VALUES);
    const memory = r.integer("memory", 512, 122880);
    const cpuArchitecture = r.oneOf("cpuArchitecture", CPU_ARCHITECTURES);
    const appPath = r.pattern("appPath", APP_PATH_RE, "a relative path inside the project (no `..`, no leading `/`)");
    const azCount = r.integer("azCount", 2, 6);
    const natGatewayPerAz = r.boolean("natGatewayPerAz");
    const vpcId = r.pattern("vpcId", VPC_ID_RE, "a VPC id like vpc-0123456789abcdef0, or empty to create a VPC", true);
    const publicSubnetIds = r.idList("publicSubnetIds", SUBNET_ID_RE, "subnet ids like subnet-0123456789abcdef0");
    const privateSubnetIds = r.idList("privateSubnetIds", SUBNET_ID_RE, "subnet ids like subnet-0123456789abcdef0");
    const logRetentionDays = r.oneOf("logRetentionDays", LOG_RETENTION_DAYS);
    const certificateArn = r.pattern(
        "certificateArn",
        CERT_ARN_RE,
        "an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/<uuid>, or unset for HTTP only",
        true,
    );
    const deletionProtection = r.boolean("deletionProtection");
    const dbInstanceClass = r.pattern("dbInstanceClass", DB_CLASS_RE, "an RDS instance class such as db.t4g.medium");
    const dbEngineVersion = r.oneOf("dbEngineVersion", DB_ENGINE_VERSIONS);
    const dbAllocatedStorageGb = r.integer("dbAllocatedStorageGb", 20, 65536);
    const dbBackupRetentionDays = r.integer("dbBackupRetentionDays", 1, 35);
    const dbMultiAz = r.boolean("dbMultiAz");
    const dbMaxConnectionsRaw = r.integer("dbMaxConnections", 10, MAX_CONNECTIONS_LIMIT, true);
    const dbReservedConnections = r.integer("dbReservedConnections", MIN_RESERVED_CONNECTIONS, MAX_CONNECTIONS_LIMIT);
    const dbPoolMaxPerTask = r.integer("dbPoolMaxPerTask", 1, 10000);
    const dbPoolMinPerTask = r.integer("dbPoolMinPerTask", 1, 10000);
    const cacheEngine = r.oneOf("cacheEngine", CACHE_ENGINES);
    const cacheNodeType = r.pattern("cacheNodeType", CACHE_NODE_RE, "an ElastiCache node type such as cache.t4g.small");
    const cacheMultiAz = r.boolean("cacheMultiAz");

    // Rules that relate two keys; each runs only when both sides parsed.
    const maxReplicas = maxReplicasRaw ?? replicas;
    if (maxReplicasRaw !== undefined && replicas !== undefined && maxReplicasRaw < replicas) {
        r.fail("maxReplicas", maxReplicasRaw, `must be at least replicas (${replicas}), or 0 to turn autoscaling off.`);
    }
    if (cpu !== undefined && memory !== undefined && !isValidFargateSize(cpu, memory)) {
        r.fail("memory", memory, `Fargate does not offer ${memory} MiB with cpu ${cpu}; allowed: ${describeMemoryOptions(cpu)} MiB.`);
    }
    if (replicas !== undefined && deploymentMaximumPercent !== undefined) {
        // minimumHealthyPercent is 100, so ECS can only deploy by starting new tasks first:
        // floor(replicas × P / 100) must leave room for at least one more task.
        const room = Math.floor((replicas * deploymentMaximumPercent) / 100);
        if (room < replicas + 1) {
            const needed = Math.ceil(((replicas + 1) * 100) / replicas);
            r.fail(
                "deploymentMaximumPercent",
                deploymentMaximumPercent,
                `with ${replicas} replica(s) ECS could start no new task during a deploy (floor(${replicas} × ` +
                    `${deploymentMaximumPercent} / 100) = ${room}); use at least ${needed}.`,
            );
        }
    }
    if (vpcId !== undefined) {
        // The ALB needs subnets in at least 2 AZs; RDS and ElastiCache subnet groups want 2 AZs too.
        for (const [key, ids] of [["publicSubnetIds", publicSubnetIds], ["privateSubnetIds", privateSubnetIds]] as const) {
            if (ids !== undefined && ids.length < 2) {
                r.fail(key, ids.join(","), `with vpcId set, list at least 2 subnets of ${vpcId}, in different AZs.`);
            }
        }
        const overlap = (publicSubnetIds ?? []).filter((id) => (privateSubnetIds ?? []).includes(id));
        if (overlap.length > 0) {
            r.fail("privateSubnetIds", overlap.join(","), "must not repeat a public subnet: tasks and data stores stay off the internet-facing subnets.");
        }
    } else {
        for (const [key, ids] of [["publicSubnetIds", publicSubnetIds], ["privateSubnetIds", privateSubnetIds]] as const) {
            if (ids !== undefined && ids.length > 0) {
                r.fail(key, ids.join(","), "only applies with vpcId; set vpcId too, or leave this empty to create a VPC.");
            }
        }
    }
    if (appPath !== undefined && !ctx.dockerfileExists(appPath)) {
        r.fail("appPath", appPath, `no Dockerfile at ${appPath}/Dockerfile; point appPath at the folder holding the app's Dockerfile.`);
    }
    if (certificateArn !== undefined && region !== undefined) {
        const certRegion = CERT_ARN_RE.exec(certificateArn)?.[1];
        if (certRegion !== region) {
            r.fail("certificateArn", certificateArn, `an ALB needs a certificate in its own region (${region}), not ${certRegion}.`);
        }
    }
    if (dbPoolMinPerTask !== undefined && dbPoolMaxPerTask !== undefined && dbPoolMinPerTask > dbPoolMaxPerTask) {
        r.fail("dbPoolMinPerTask", dbPoolMinPerTask, `must not exceed dbPoolMaxPerTask (${dbPoolMaxPerTask}).`);
    }
    if (cacheMultiAz === true && cacheNodeType !== undefined && cacheNodeType.startsWith("cache.t2.")) {
        r.fail("cacheNodeType", cacheNodeType, "T2 nodes do not support automatic failover; use cache.t4g.* or larger with cacheMultiAz.");
    }

    let dbMaxConnections = dbMaxConnectionsRaw;
    if (dbMaxConnections === undefined && dbInstanceClass !== undefined) {
        dbMaxConnections = safeMaxConnections(dbInstanceClass);
        if (dbMaxConnections === undefined) {
            r.fail(
                "dbMaxConnections",
                undefined,
                `webfleet has no safe max_connections for ${dbInstanceClass}; set dbMaxConnections explicitly ` +
                    `(about memory in bytes / 9531392, at most 5000), or use a t3/t4g/m5–m8/r5–r8 class.`,
            );
        }
    }
    if (dbMaxConnections !== undefined && dbReservedConnections !== undefined && dbReservedConnections >= dbMaxConnections) {
        r.fail("dbReservedConnections", dbReservedConnections, `must be below dbMaxConnections (${dbMaxConnections}).`);
    }

    if (
        region === undefined ||
        replicas === undefined ||
        maxReplicas === undefined ||
        deploymentMaximumPercent === undefined ||
        autoscalingRequestsPerTarget === undefined ||
        cpu === undefined ||
        memory === undefined ||
        cpuArchitecture === undefined ||
        appPath === undefined ||
        azCount === undefined ||
        natGatewayPerAz === undefined ||
        logRetentionDays === undefined ||
        deletionProtection === undefined ||
        dbInstanceClass === undefined ||
        dbEngineVersion === undefined ||
        dbAllocatedStorageGb === undefined ||
        dbBackupRetentionDays === undefined ||
        dbMultiAz === undefined ||
        dbMaxConnections === undefined ||
        dbReservedConnections === undefined ||
        dbPoolMaxPerTask === undefined ||
        dbPoolMinPerTask === undefined ||
        cacheEngine === undefined ||
        cacheNodeType === undefined ||
        cacheMultiAz === undefined ||
        publicSubnetIds === undefined ||
        privateSubnetIds === undefined ||
        r.problems.length > 0
    ) {
        return { ok: false, problems: r.problems };
    }

    // The budget is checked last: its advice only makes sense once every input is valid.
    const capacity = planCapacity({
        replicas,
        maxReplicas,
        deploymentMaximumPercent,
        dbMaxConnections,
        dbReservedConnections,
        dbPoolMaxPerTask,
        dbPoolMinPerTask,
    });
    if (!capacity.ok) {
        return { ok: false, problems: capacity.problems };
    }

    return {
        ok: true,
        settings: deepFreeze({
            region,
            replicas,
            maxReplicas,
            autoscaling: maxReplicas > replicas,
            autoscalingRequestsPerTarget,
            deploymentMaximumPercent,
            cpu,
            memory,
            cpuArchitecture,
            appPath,
            azCount,
            natGatewayPerAz,
            existingVpc: vpcId === undefined ? undefined : { vpcId, publicSubnetIds, privateSubnetIds },
            logRetentionDays,
            certificateArn,
            deletionProtection,
            db: {
                instanceClass: dbInstanceClass,
                engineVersion: dbEngineVersion,
                allocatedStorageGb: dbAllocatedStorageGb,
                backupRetentionDays: dbBackupRetentionDays,
                multiAz: dbMultiAz,
                maxConnections: dbMaxConnections,
                reservedConnections: dbReservedConnections,
                poolMaxPerTask: dbPoolMaxPerTask,
                poolMinPerTask: dbPoolMinPerTask,
            },
            cache: { engine: cacheEngine, nodeType: cacheNodeType, multiAz: cacheMultiAz },
            capacity: capacity.plan,
        }),
    };
}

function deepFreeze<T extends object>(value: T): T {
    for (const child of Object.values(value)) {
        if (child !== null && typeof child === "object") {
            deepFreeze(child);
        }
    }
    return Object.freeze(value);
}
