/**
 * Every project config key, declared once: its Pulumi.yaml type, default and description,
 * and the parser (with its bounds) that turns the CLI's string into a typed value.
 *
 * Everything else is derived from this table: the reader and the `ConfigValues` type
 * (lib/settings.ts), the `config:` block of Pulumi.yaml and the README's config table
 * (`npm run config:docs` writes both; a unit test fails when either is stale).
 *
 * The default is here only so that Pulumi.yaml can be generated from it: the program never
 * applies a default itself. The CLI applies Pulumi.yaml's defaults before the program runs,
 * so a required key that arrives unset means Pulumi.yaml lost it.
 *
 * Pure: no Pulumi import.
 */
import { MIN_RESERVED_CONNECTIONS } from "./capacity";
import { MAX_CONNECTIONS_LIMIT } from "./db-instance-classes";
import { CPU_ARCHITECTURES, FARGATE_CPU_VALUES } from "./fargate";
import { HOSTED_ZONE_ID_RE, HOSTNAME_RE } from "./edge";

/** A parser's verdict: the value, or what is allowed (one sentence, shown to the user). */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly allowed: string };

/** Turns the raw value (trimmed; undefined when unset) into a typed value or a problem. */
export type Parser<T> = (raw: string | undefined) => Parsed<T>;

export interface KeySpec<T> {
    /** The Pulumi.yaml `type`: what the CLI checks before the program runs. */
    readonly type: "integer" | "boolean" | "string";
    /** The Pulumi.yaml `default`. For optional keys, the value that means "not set" (0 or ""). */
    readonly default: number | boolean | string;
    /** The Pulumi.yaml `description` and the README row. */
    readonly doc: string;
    readonly parse: Parser<T>;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const no = (allowed: string): Parsed<never> => ({ ok: false, allowed });

function required<T>(what: string, parse: (v: string) => Parsed<T>): Parser<T> {
    return (raw) => (raw === undefined || raw === "" ? no(`${what} is required; Pulumi.yaml should declare a default for it.`) : parse(raw));
}

/** An integer in [min, max]; with `optional`, 0 or empty means "not set" (undefined). */
export function integer(min: number, max: number): Parser<number>;
export function integer(min: number, max: number, optional: "optional"): Parser<number | undefined>;
export function integer(min: number, max: number, optional?: "optional"): Parser<number | undefined> {
    const what = `an integer from ${min} to ${max}${optional ? " (or 0 for the default behaviour)" : ""}`;
    const check = (v: string): Parsed<number> => {
        if (!/^-?\d+$/.test(v)) {
            return no(`must be ${what} (whole number, no units).`);
        }
        const n = Number(v);
        return Number.isSafeInteger(n) && n >= min && n <= max ? ok(n) : no(`must be ${what}.`);
    };
    if (optional) {
        return (raw) => (raw === undefined || raw === "" || raw === "0" ? ok(undefined) : check(raw));
    }
    return required(what, check);
}

export const boolean: Parser<boolean> = required("true or false", (v) =>
    v === "true" ? ok(true) : v === "false" ? ok(false) : no("must be true or false."),
);

/** One of a fixed list; numbers are compared by value, so "1024" matches 1024. */
export function oneOf<T extends string | number>(allowed: readonly T[]): Parser<T> {
    const list = allowed.join(", ");
    return required(`one of ${list}`, (v) => {
        const match = allowed.find((a) => String(a) === v);
        return match !== undefined ? ok(match) : no(`must be one of ${list}.`);
    });
}

/** A string matching `re`; with `optional`, empty means "not set" (undefined). */
export function pattern(re: RegExp, allowed: string): Parser<string>;
export function pattern(re: RegExp, allowed: string, optional: "optional"): Parser<string | undefined>;
export function pattern(re: RegExp, allowed: string, optional?: "optional"): Parser<string | undefined> {
    const check = (v: string): Parsed<string> => (re.test(v) ? ok(v) : no(`must be ${allowed}.`));
    if (optional) {
        return (raw) => (raw === undefined || raw === "" ? ok(undefined) : check(raw));
    }
    return required(allowed, check);
}

/** Comma-separated ids, each matching `re`, none twice; empty or unset gives []. */
export function idList(re: RegExp, allowed: string): Parser<readonly string[]> {
    return (raw) => {
        if (raw === undefined || raw === "") {
            return ok([]);
        }
        const ids = raw.split(",").map((id) => id.trim());
        const bad = ids.filter((id) => !re.test(id));
        if (bad.length > 0) {
            return no(`must be ${allowed}, comma-separated; not: ${bad.map((b) => JSON.stringify(b)).join(", ")}.`);
        }
        const twice = ids.find((id, i) => ids.indexOf(id) !== i);
        return twice === undefined ? ok(ids) : no(`lists ${twice} twice.`);
    };
}

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
export const DB_ENGINE_VERSIONS = ["15", "16", "17"] as const;
export const CACHE_ENGINES = ["redis", "valkey"] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];

/** ECS allows any maximumPercent, but webfleet keeps minimumHealthyPercent at 100, so a deploy needs room above 100. */
export const DEPLOY_PERCENT_MIN = 101;
export const DEPLOY_PERCENT_MAX = 200;
export const MAX_REPLICAS_LIMIT = 1000;

export const CERT_ARN_RE = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DB_CLASS_RE = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const CACHE_NODE_RE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;
const VPC_ID_RE = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
const SUBNET_ID_RE = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
/** SNS e-mail endpoints: plain addresses; a typo would create a subscription nobody can confirm. */
const EMAIL_RE = /^(?=.{3,254}$)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const APP_PATH_RE = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\/-]+$/;
const SUBNET_IDS = "subnet ids like subnet-0123456789abcdef0";
const HOSTNAME = "a lower-case DNS name such as api.example.org (no wildcard, no trailing dot)";

/** The table. Order is the order of Pulumi.yaml and the README. */
export const CONFIG_KEYS = {
    replicas: {
        type: "integer",
        default: 4,
        doc: "Desired number of Fargate tasks; with autoscaling on, the floor it never scales below.",
        parse: integer(1, MAX_REPLICAS_LIMIT),
    },
    maxReplicas: {
        type: "integer",
        default: 0,
        doc: "Autoscaling ceiling. 0 means equal to replicas (autoscaling off); otherwise at least replicas.",
        parse: integer(1, MAX_REPLICAS_LIMIT, "optional"),
    },
    deploymentMaximumPercent: {
        type: "integer",
        default: 200,
        doc: "ECS maximumPercent for rolling deploys (101–200). Peak tasks = floor(maxReplicas × this / 100).",
        parse: integer(DEPLOY_PERCENT_MIN, DEPLOY_PERCENT_MAX),
    },
    autoscalingRequestsPerTarget: {
        type: "integer",
        default: 75000,
        doc: 'Target-tracking goal in ALB requests per task per MINUTE (ALBRequestCountPerTarget). See README "Capacity".',
        parse: integer(1, 10_000_000),
    },
    cpu: {
        type: "integer",
        default: 1024,
        doc: "Fargate CPU units per task (256, 512, 1024, 2048, 4096, 8192, 16384). Node is single-threaded; scale out, not up.",
        parse: oneOf(FARGATE_CPU_VALUES),
    },
    memory: {
        type: "integer",
        default: 2048,
        doc: "Fargate memory per task in MiB; must be a size Fargate offers for the chosen cpu.",
        parse: integer(512, 122880),
    },
    cpuArchitecture: {
        type: "string",
        default: "X86_64",
        doc: "Task CPU architecture, X86_64 or ARM64. The image is built for the matching platform.",
        parse: oneOf(CPU_ARCHITECTURES),
    },
    appPath: {
        type: "string",
        default: "app",
        doc: "Folder (relative to this file) holding the app and its Dockerfile.",
        parse: pattern(APP_PATH_RE, "a relative path inside the project (no `..`, no leading `/`)"),
    },
    azCount: {
        type: "integer",
        default: 3,
        doc: "Availability zones for the new VPC (2–6). The ALB needs at least 2.",
        parse: integer(2, 6),
    },
    natGatewayPerAz: {
        type: "boolean",
        default: true,
        doc: "One NAT gateway per AZ (survives an AZ outage) or a single shared one (cheaper).",
        parse: boolean,
    },
    vpcId: {
        type: "string",
        default: "",
        doc: "Reuse this existing VPC instead of creating one (then azCount and natGatewayPerAz do not apply). Empty creates a VPC.",
        parse: pattern(VPC_ID_RE, "a VPC id like vpc-0123456789abcdef0, or empty to create a VPC", "optional"),
    },
    publicSubnetIds: {
        type: "string",
        default: "",
        doc: "With vpcId, comma-separated public subnets (2+ AZs, routed to an internet gateway) for the load balancer.",
        parse: idList(SUBNET_ID_RE, SUBNET_IDS),
    },
    privateSubnetIds: {
        type: "string",
        default: "",
        doc: "With vpcId, comma-separated private subnets (2+ AZs, egress through NAT) for tasks, the database and the cache.",
        parse: idList(SUBNET_ID_RE, SUBNET_IDS),
    },
    logRetentionDays: {
        type: "integer",
        default: 30,
        doc: "CloudWatch Logs retention for the tasks' logs; one of the periods CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, ...).",
        parse: oneOf(LOG_RETENTION_DAYS),
    },
    certificateArn: {
        type: "string",
        default: "",
        doc: "ACM certificate ARN (same region) for HTTPS on the ALB, with HTTP redirected. Empty means HTTP only.",
        parse: pattern(
            CERT_ARN_RE,
            "an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/<uuid>, or unset for HTTP only",
            "optional",
        ),
    },
    domainName: {
        type: "string",
        default: "",
        doc: "Public name of the gateway (e.g. api.example.org). webfleet requests a DNS-validated ACM certificate for it (unless certificateArn is set), serves HTTPS and points an alias record at the ALB. Needs hostedZoneName or hostedZoneId.",
        parse: pattern(HOSTNAME_RE, `${HOSTNAME}, or empty`, "optional"),
    },
    hostedZoneId: {
        type: "string",
        default: "",
        doc: "With domainName, the Route 53 public hosted zone (id, e.g. Z0123456789ABCDEFGHIJ) that holds it. Or use hostedZoneName.",
        parse: pattern(HOSTED_ZONE_ID_RE, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, or empty", "optional"),
    },
    hostedZoneName: {
        type: "string",
        default: "",
        doc: "With domainName, the Route 53 public hosted zone looked up by name (e.g. example.org). Or use hostedZoneId.",
        parse: pattern(HOSTNAME_RE, `the hosted zone's name, ${HOSTNAME}, or empty`, "optional"),
    },
    allowPlainHttp: {
        type: "boolean",
        default: false,
        doc: "Lets a prod-like stack (deletionProtection true) serve plain HTTP, for TLS terminated in front of the ALB. Printed as a warning; the policy pack also needs the stack in plainHttpStacks.",
        parse: boolean,
    },
    accessLogs: {
        type: "boolean",
        default: true,
        doc: "ALB access logs to an S3 bucket of the stack's own (SSE-S3, private, owner-enforced). Required in prod-like stacks by the policy pack.",
        parse: boolean,
    },
    accessLogRetentionDays: {
        type: "integer",
        default: 90,
        doc: "Days the ALB access logs are kept before S3 expires them (1–3650).",
        parse: integer(1, 3650),
    },
    deletionProtection: {
        type: "boolean",
        default: true,
        doc: "Deletion protection on the database and load balancer, and final snapshots of the database and cache.",
        parse: boolean,
    },
    dbInstanceClass: {
        type: "string",
        default: "db.t4g.medium",
        doc: "RDS instance class. Its safe max_connections is used unless dbMaxConnections is set.",
        parse: pattern(DB_CLASS_RE, "an RDS instance class such as db.t4g.medium"),
    },
    dbEngineVersion: {
        type: "string",
        default: "16",
        doc: "PostgreSQL major version (15, 16 or 17); selects the parameter group family.",
        parse: oneOf(DB_ENGINE_VERSIONS),
    },
    dbAllocatedStorageGb: {
        type: "integer",
        default: 20,
        doc: "Initial gp3 storage in GiB (storage autoscaling may grow it to 5×).",
        parse: integer(20, 65536),
    },
    dbBackupRetentionDays: {
        type: "integer",
        default: 7,
        doc: "Automated backup retention in days (1–35).",
        parse: integer(1, 35),
    },
    dbMultiAz: {
        type: "boolean",
        default: true,
        doc: "Multi-AZ database with a synchronous standby.",
        parse: boolean,
    },
    dbMaxConnections: {
        type: "integer",
        default: 0,
        doc: "max_connections set in the parameter group. 0 means the safe value for dbInstanceClass; required for classes webfleet does not know.",
        parse: integer(10, MAX_CONNECTIONS_LIMIT, "optional"),
    },
    dbMaxConnectionsConfirmed: {
        type: "integer",
        default: 0,
        doc: "After a change of max_connections and a reboot of the instance, the value SHOW max_connections reports; lets the budget use it (see README, Changing the fleet safely). 0 means not confirmed.",
        parse: integer(1, MAX_CONNECTIONS_LIMIT, "optional"),
    },
    dbReservedConnections: {
        type: "integer",
        default: 10,
        doc: "Connections kept back from the tasks for superusers, RDS automation, admin and migrations (at least 3).",
        parse: integer(MIN_RESERVED_CONNECTIONS, MAX_CONNECTIONS_LIMIT),
    },
    dbPoolMaxPerTask: {
        type: "integer",
        default: 50,
        doc: "Upper bound of each task's pool, however much room the budget leaves.",
        parse: integer(1, 10000),
    },
    dbPoolMinPerTask: {
        type: "integer",
        default: 5,
        doc: "Smallest useful pool; if the budget leaves less per task, preview fails and says what to change.",
        parse: integer(1, 10000),
    },
    cacheEngine: {
        type: "string",
        default: "redis",
        doc: "ElastiCache engine, redis or valkey (cluster mode off either way).",
        parse: oneOf(CACHE_ENGINES),
    },
    cacheNodeType: {
        type: "string",
        default: "cache.t4g.small",
        doc: "ElastiCache node type.",
        parse: pattern(CACHE_NODE_RE, "an ElastiCache node type such as cache.t4g.small"),
    },
    cacheMultiAz: {
        type: "boolean",
        default: true,
        doc: "A replica in another AZ with automatic failover (2 nodes instead of 1).",
        parse: boolean,
    },
    alarmEmail: {
        type: "string",
        default: "",
        doc: "E-mail address(es), comma-separated (at most 10), subscribed to the alarm topic; each must confirm AWS's e-mail. Empty subscribes nobody.",
        parse: idList(EMAIL_RE, "e-mail addresses like ops@example.com (at most 10)"),
    },
} as const satisfies Record<string, KeySpec<unknown>>;

export type ProjectKey = keyof typeof CONFIG_KEYS;

/** Every project key, in table order. */
export const PROJECT_KEYS = Object.keys(CONFIG_KEYS) as readonly ProjectKey[];

type ValueOf<S> = S extends { readonly parse: Parser<infer T> } ? T : never;

/** One typed value per key, as its parser returns it (undefined = an optional key not set). */
export type ConfigValues = { readonly [K in ProjectKey]: ValueOf<(typeof CONFIG_KEYS)[K]> };

/** Keys whose Pulumi.yaml default (0 or "") means "not set". */
export const OPTIONAL_KEYS: readonly ProjectKey[] = PROJECT_KEYS.filter((key) => {
    const parsed = CONFIG_KEYS[key].parse(String(CONFIG_KEYS[key].default));
    return parsed.ok && (parsed.value === undefined || (Array.isArray(parsed.value) && parsed.value.length === 0));
});
