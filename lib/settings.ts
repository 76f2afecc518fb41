/**
 * Turns the raw config strings the Pulumi CLI hands the program into typed, validated
 * Settings — or into the full list of what is wrong.
 *
 * Each key is parsed by its entry in lib/config-keys.ts (the table); then the rules that
 * relate two or more keys run, each only when the keys it reads parsed. Every problem is
 * collected, so one `pulumi preview` reports them all.
 *
 * Pure: no Pulumi import and no file-system access (the Dockerfile check is injected), so
 * every rule is tested with a table of bad input, without mocks. The connection budget is
 * not computed here: config.ts runs lib/capacity.ts on the Settings this returns.
 */
import { CONFIG_KEYS, CERT_ARN_RE, ConfigValues, PROJECT_KEYS } from "./config-keys";
import { safeMaxConnections } from "./db-instance-classes";
import { describeMemoryOptions, isValidFargateSize } from "./fargate";
import { EdgeSettings, isInZone } from "./edge";
import { didYouMean } from "./did-you-mean";
import { ConfigProblem, PROJECT, problem, qualify, render } from "./problems";

export { OPTIONAL_KEYS, PROJECT_KEYS } from "./config-keys";
export type { ProjectKey } from "./config-keys";

/** Raw config: `replicas`, `maxReplicas`, … and `aws:region`, as strings, or undefined when unset. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/** What the rules read: every key's value, and the provider's region. */
type Inputs = ConfigValues & { readonly region: string };

/**
 * The validated configuration: every key of the table under its own name, with the two
 * "not set" defaults resolved.
 */
export type Settings = Readonly<Omit<ConfigValues, "maxReplicas" | "dbMaxConnections">> & {
    /** HTTPS through a domain, the plain-HTTP opt-out and access logs, as lib/edge.ts reads them. */
    readonly edge: EdgeSettings;
    readonly region: string;
    /** Equals `replicas` when autoscaling is off (maxReplicas 0). */
    readonly maxReplicas: number;
    /** True when maxReplicas is above replicas. */
    readonly autoscaling: boolean;
    /** The explicit value, or the instance class's safe value. */
    readonly dbMaxConnections: number;
};

export interface SettingsContext {
    /** True when `<appPath>/Dockerfile` exists (relative to the project directory). */
    readonly dockerfileExists: (appPath: string) => boolean;
}

export type SettingsResult =
    | { readonly ok: true; readonly settings: Settings }
    | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const REGION_ALLOWED = "an AWS region such as us-east-1 (set it with `pulumi config set aws:region <region>`)";

/** A rule over several keys: runs only when every key it names parsed. */
interface Rule {
    readonly name: string;
    run(values: Partial<Inputs>, ctx: SettingsContext): ConfigProblem[];
}

function rule<K extends keyof Inputs>(
    name: string,
    keys: readonly K[],
    check: (v: Pick<Inputs, K>, ctx: SettingsContext) => ConfigProblem[],
): Rule {
    return {
        name,
        run(values, ctx) {
            const picked: Partial<Pick<Inputs, K>> = {};
            for (const key of keys) {
                if (!(key in values)) {
                    return [];
                }
                picked[key] = values[key];
            }
            return check(picked as Pick<Inputs, K>, ctx);
        },
    };
}

/** The rules that relate keys, in the order their problems are reported. */
export const RULES: readonly Rule[] = [
    rule("maxReplicas is 0 or at least replicas", ["maxReplicas", "replicas"], (v) =>
        v.maxReplicas !== undefined && v.maxReplicas < v.replicas
            ? [problem("maxReplicas", v.maxReplicas, `must be at least replicas (${v.replicas}), or 0 to turn autoscaling off.`)]
            : [],
    ),
    rule("Fargate offers the cpu/memory pair", ["cpu", "memory"], (v) =>
        isValidFargateSize(v.cpu, v.memory)
            ? []
            : [problem("memory", v.memory, `Fargate does not offer ${v.memory} MiB with cpu ${v.cpu}; allowed: ${describeMemoryOptions(v.cpu)} MiB.`)],
    ),
    rule("a deploy can start one more task", ["replicas", "deploymentMaximumPercent"], (v) => {
        // minimumHealthyPercent is 100, so ECS can only deploy by starting new tasks first:
        // floor(replicas × P / 100) must leave room for at least one more task.
        const room = Math.floor((v.replicas * v.deploymentMaximumPercent) / 100);
        if (room >= v.replicas + 1) {
            return [];
        }
        const needed = Math.ceil(((v.replicas + 1) * 100) / v.replicas);
        return [
            problem(
                "deploymentMaximumPercent",
                v.deploymentMaximumPercent,
                `with ${v.replicas} replica(s) ECS could start no new task during a deploy (floor(${v.replicas} × ` +
                    `${v.deploymentMaximumPercent} / 100) = ${room}); use at least ${needed}.`,
            ),
        ];
    }),
    ...(["publicSubnetIds", "privateSubnetIds"] as const).map((key) =>
        rule(`${key} go with vpcId`, ["vpcId", key], (v) => {
            const ids: readonly string[] = v[key];
            if (v.vpcId !== undefined && ids.length < 2) {
                // The ALB needs subnets in at least 2 AZs; RDS and ElastiCache subnet groups want 2 AZs too.
                return [problem(key, ids.join(","), `with vpcId set, list at least 2 subnets of ${v.vpcId}, in different AZs.`)];
            }
            if (v.vpcId === undefined && ids.length > 0) {
                return [problem(key, ids.join(","), "only applies with vpcId; set vpcId too, or leave this empty to create a VPC.")];
            }
            return [];
        }),
    ),
    rule("no subnet is both public and private", ["vpcId", "publicSubnetIds", "privateSubnetIds"], (v) => {
        const overlap = v.publicSubnetIds.filter((id) => v.privateSubnetIds.includes(id));
        return v.vpcId !== undefined && overlap.length > 0
            ? [problem("privateSubnetIds", overlap.join(","), "must not repeat a public subnet: tasks and data stores stay off the internet-facing subnets.")]
            : [];
    }),
    rule("appPath holds a Dockerfile", ["appPath"], (v, ctx) =>
        ctx.dockerfileExists(v.appPath)
            ? []
            : [problem("appPath", v.appPath, `no Dockerfile at ${v.appPath}/Dockerfile; point appPath at the folder holding the app's Dockerfile.`)],
    ),
    rule("the certificate is in the stack's region", ["certificateArn", "region"], (v) => {
        if (v.certificateArn === undefined) {
            return [];
        }
        const certRegion = CERT_ARN_RE.exec(v.certificateArn)?.[1];
        return certRegion === v.region
            ? []
            : [problem("certificateArn", v.certificateArn, `an ALB needs a certificate in its own region (${v.region}), not ${certRegion}.`)];
    }),
    rule("a domain names exactly one hosted zone that holds it", ["domainName", "hostedZoneId", "hostedZoneName"], (v) => {
        if (v.domainName === undefined) {
            return (["hostedZoneId", "hostedZoneName"] as const)
                .filter((key) => v[key] !== undefined)
                .map((key) => problem(key, v[key], "only applies with domainName; set domainName too, or leave this empty."));
        }
        if (v.hostedZoneId !== undefined && v.hostedZoneName !== undefined) {
            return [problem("hostedZoneId", v.hostedZoneId, "set hostedZoneId or hostedZoneName, not both.")];
        }
        if (v.hostedZoneId === undefined && v.hostedZoneName === undefined) {
            return [
                problem(
                    "hostedZoneName",
                    undefined,
                    "domainName needs the Route 53 public hosted zone that holds it: set hostedZoneName (looked up by name) or hostedZoneId.",
                ),
            ];
        }
        return v.hostedZoneName !== undefined && !isInZone(v.domainName, v.hostedZoneName)
            ? [problem("hostedZoneName", v.hostedZoneName, `domainName ${v.domainName} is not in this zone; name the zone that holds it.`)]
            : [];
    }),
    rule("a prod-like stack serves HTTPS", ["deletionProtection", "allowPlainHttp", "domainName", "certificateArn", "region"], (v) => {
        const tls = v.domainName !== undefined || v.certificateArn !== undefined;
        if (v.deletionProtection && !v.allowPlainHttp && !tls) {
            return [
                problem(
                    "domainName",
                    undefined,
                    "this stack is prod-like (deletionProtection: true), so its load balancer must serve HTTPS. Set domainName and " +
                        "hostedZoneName (or hostedZoneId): webfleet then requests a DNS-validated ACM certificate and points the name at " +
                        `the load balancer. Or set certificateArn to an ACM certificate in ${v.region}. Only if TLS ` +
                        "is terminated in front of the load balancer, set allowPlainHttp: true instead.",
                ),
            ];
        }
        return v.allowPlainHttp && tls
            ? [problem("allowPlainHttp", true, "TLS is configured (certificateArn or domainName), so HTTP redirects to HTTPS; remove allowPlainHttp.")]
            : [];
    }),
    rule("at most 10 alarm e-mail addresses", ["alarmEmail"], (v) =>
        v.alarmEmail.length > 10 ? [problem("alarmEmail", v.alarmEmail.join(","), "must list at most 10 addresses.")] : [],
    ),
    rule("the smallest pool is not above the largest", ["dbPoolMinPerTask", "dbPoolMaxPerTask"], (v) =>
        v.dbPoolMinPerTask > v.dbPoolMaxPerTask
            ? [problem("dbPoolMinPerTask", v.dbPoolMinPerTask, `must not exceed dbPoolMaxPerTask (${v.dbPoolMaxPerTask}).`)]
            : [],
    ),
    rule("T2 cache nodes have no failover", ["cacheMultiAz", "cacheNodeType"], (v) =>
        v.cacheMultiAz && v.cacheNodeType.startsWith("cache.t2.")
            ? [problem("cacheNodeType", v.cacheNodeType, "T2 nodes do not support automatic failover; use cache.t4g.* or larger with cacheMultiAz.")]
            : [],
    ),
    rule("max_connections is known for the class", ["dbMaxConnections", "dbInstanceClass"], (v) =>
        v.dbMaxConnections === undefined && safeMaxConnections(v.dbInstanceClass) === undefined
            ? [
                  problem(
                      "dbMaxConnections",
                      undefined,
                      `webfleet has no safe max_connections for ${v.dbInstanceClass}; set dbMaxConnections explicitly ` +
                          `(about memory in bytes / 9531392, at most 5000), or use a t3/t4g/m5–m8/r5–r8 class.`,
                  ),
              ]
            : [],
    ),
    rule("reserved connections leave room", ["dbMaxConnections", "dbInstanceClass", "dbReservedConnections"], (v) => {
        const max = v.dbMaxConnections ?? safeMaxConnections(v.dbInstanceClass);
        return max !== undefined && v.dbReservedConnections >= max
            ? [problem("dbReservedConnections", v.dbReservedConnections, `must be below dbMaxConnections (${max}).`)]
            : [];
    }),
];

/**
 * Keys of the project's namespace that the program does not read, from all the config the
 * program was given (`webfleet:replica` for `webfleet:replicas`). The CLI refuses these in
 * a stack file (pulumi/pulumi#11127); this catches what reaches the program any other way,
 * so a typo is never silently ignored. Other namespaces (aws:, pulumi:) are not ours.
 */
export function undeclaredKeyProblems(config: Readonly<Record<string, string>>): ConfigProblem[] {
    const known: readonly string[] = PROJECT_KEYS;
    return Object.keys(config)
        .filter((key) => key.startsWith(`${PROJECT}:`) && !known.includes(key.slice(PROJECT.length + 1)))
        .sort()
        .map((key) => ({
            key,
            given: render(config[key]),
            allowed: `uses a configuration value which is not defined by the project configuration (Pulumi.yaml)${didYouMean(key.slice(PROJECT.length + 1), known, (k) => `${PROJECT}:${k}`)}`,
        }));
}

/** The reader's input from config as the CLI hands it to a program: `webfleet:<key>` and `aws:region`. */
export function rawConfigFrom(config: Readonly<Record<string, string | undefined>>): RawConfig {
    const raw: Record<string, string | undefined> = { "aws:region": config["aws:region"] };
    for (const key of PROJECT_KEYS) {
        raw[key] = config[qualify(key)];
    }
    return raw;
}

export function parseSettings(raw: RawConfig, ctx: SettingsContext): SettingsResult {
    const problems: ConfigProblem[] = [];
    const values: Partial<Record<keyof Inputs, unknown>> = {};

    const region = raw["aws:region"]?.trim();
    if (region !== undefined && REGION_RE.test(region)) {
        values.region = region;
    } else {
        problems.push(problem("aws:region", region, `must be ${REGION_ALLOWED}.`));
    }
    for (const key of PROJECT_KEYS) {
        const given = raw[key]?.trim();
        const parsed = CONFIG_KEYS[key].parse(given);
        if (parsed.ok) {
            values[key] = parsed.value;
        } else {
            problems.push(problem(key, given, parsed.allowed));
        }
    }
    const known = values as Partial<Inputs>;
    for (const r of RULES) {
        problems.push(...r.run(known, ctx));
    }
    if (problems.length > 0) {
        return { ok: false, problems };
    }
    // Every key parsed (no problem was recorded), so `known` is complete.
    const all = known as Inputs;
    const maxReplicas = all.maxReplicas ?? all.replicas;
    const dbMaxConnections = all.dbMaxConnections ?? safeMaxConnections(all.dbInstanceClass);
    if (dbMaxConnections === undefined) {
        throw new Error("unreachable: the rule 'max_connections is known for the class' passed");
    }
    return {
        ok: true,
        settings: deepFreeze({ ...all, maxReplicas, autoscaling: maxReplicas > all.replicas, dbMaxConnections, edge: edgeOf(all) }),
    };
}

function edgeOf(v: Inputs): EdgeSettings {
    const zone = v.hostedZoneId !== undefined ? { kind: "id" as const, id: v.hostedZoneId } : v.hostedZoneName !== undefined ? { kind: "name" as const, name: v.hostedZoneName } : undefined;
    return {
        prodLike: v.deletionProtection,
        domain: v.domainName !== undefined && zone !== undefined ? { name: v.domainName, zone } : undefined,
        allowPlainHttp: v.allowPlainHttp,
        accessLogs: { enabled: v.accessLogs, retentionDays: v.accessLogRetentionDays },
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
