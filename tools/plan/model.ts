/**
 * The offline plan as data: what a run of the program under mocks tells a reviewer.
 * Pure (no Pulumi import, no I/O), so formatting and diffing are tested on plain values;
 * tools/plan/plan.ts produces it from tools/mock-runner/run-program.ts.
 */
import { CapacityPlan } from "../../lib/capacity";
import { resourcePrefix } from "../../lib/names";
import { readTransition, TransitionView } from "../../lib/transition-format";
import { environmentOf, parseContainerDefinitions } from "../../policy/container-definitions";
import { RecordedResource as MockedResource } from "../mock-runner/mocks";

export type { CapacityPlan } from "../../lib/capacity";

/** A resource as the program registered it (tools/mock-runner/mocks.ts), with its parent URN when a recorder knows it. */
export type RecordedResource = MockedResource & { readonly parent?: string };

export interface PlannedResource {
    readonly type: string;
    /** Name with the stack's own prefix replaced by `webfleet-{stack}`, so two stacks line up in a diff. */
    readonly key: string;
    readonly name: string;
    /** Reviewer-facing settings, rendered as text. */
    readonly settings: Readonly<Record<string, string>>;
}

export interface PlannedComponent {
    /** `webfleet:<area>:<Class> <name>`, or "(top level)". */
    readonly title: string;
    readonly key: string;
    readonly resources: readonly PlannedResource[];
}

export interface Plan {
    readonly stack: string;
    readonly overrides: Readonly<Record<string, string>>;
    readonly capacity: CapacityPlan;
    /** The change from the deployed plan (lib/transition.ts), when the output carries one. */
    readonly transition?: TransitionView;
    /** Inputs the arithmetic needs that the capacity output does not carry. */
    readonly deploymentMaximumPercent: number | undefined;
    readonly dbPoolMaxPerTask: number | undefined;
    readonly components: readonly PlannedComponent[];
}

const CAPACITY_KEYS: readonly (keyof CapacityPlan)[] = [
    "replicas",
    "maxReplicas",
    "peakTasks",
    "dbMaxConnections",
    "dbReservedConnections",
    "poolPerTask",
    "peakConnections",
];

/** Checks that a stack output really is a capacity plan, naming the field that is not. */
export function toCapacityPlan(value: unknown): CapacityPlan {
    if (typeof value !== "object" || value === null) {
        throw new Error("the program exported no `capacityPlan` output");
    }
    const fields = new Map(Object.entries(value));
    const read = (key: keyof CapacityPlan): number => {
        const v = fields.get(key);
        if (typeof v !== "number" || !Number.isFinite(v)) {
            throw new Error(`capacityPlan.${key} is ${JSON.stringify(v)}, expected a number`);
        }
        return v;
    };
    return {
        replicas: read("replicas"),
        maxReplicas: read("maxReplicas"),
        peakTasks: read("peakTasks"),
        dbMaxConnections: read("dbMaxConnections"),
        dbReservedConnections: read("dbReservedConnections"),
        poolPerTask: read("poolPerTask"),
        peakConnections: read("peakConnections"),
    };
}

export function capacityKeys(): readonly (keyof CapacityPlan)[] {
    return CAPACITY_KEYS;
}

function record(value: unknown): Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : {};
}

function show(value: unknown): string | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The container environment of a task definition; an unreadable one shows none (the policy pack reports it). */
function containerEnv(inputs: Record<string, unknown>): ReadonlyMap<string, string> {
    const parsed = parseContainerDefinitions(inputs["containerDefinitions"]);
    return parsed.ok ? environmentOf(parsed.containers) : new Map();
}

/** Dotted paths into a resource's inputs, per type: counts, sizes, encryption, Multi-AZ, exposure. */
const SETTINGS: Readonly<Record<string, readonly string[]>> = {
    "aws:ecs/service:Service": ["desiredCount", "deploymentMinimumHealthyPercent", "deploymentMaximumPercent", "launchType", "networkConfiguration.assignPublicIp", "deploymentCircuitBreaker.rollback"],
    "aws:ecs/taskDefinition:TaskDefinition": ["cpu", "memory", "runtimePlatform.cpuArchitecture"],
    "aws:appautoscaling/target:Target": ["minCapacity", "maxCapacity"],
    "aws:rds/instance:Instance": ["instanceClass", "engineVersion", "allocatedStorage", "multiAz", "storageEncrypted", "publiclyAccessible", "backupRetentionPeriod", "deletionProtection", "skipFinalSnapshot"],
    "aws:rds/parameterGroup:ParameterGroup": ["family"],
    "aws:elasticache/replicationGroup:ReplicationGroup": ["engine", "nodeType", "numCacheClusters", "multiAzEnabled", "automaticFailoverEnabled", "transitEncryptionEnabled", "atRestEncryptionEnabled"],
    "aws:lb/loadBalancer:LoadBalancer": ["loadBalancerType", "internal", "enableDeletionProtection"],
    "aws:lb/listener:Listener": ["port", "protocol"],
    "aws:lb/targetGroup:TargetGroup": ["port", "targetType", "deregistrationDelay", "healthCheck.path"],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["ipProtocol", "fromPort", "toPort", "cidrIpv4", "cidrIpv6"],
    "aws:ec2/vpc:Vpc": ["cidrBlock"],
    "aws:ec2/subnet:Subnet": ["cidrBlock", "availabilityZone", "mapPublicIpOnLaunch"],
    "aws:ecr/repository:Repository": ["imageTagMutability", "imageScanningConfiguration.scanOnPush", "forceDelete"],
    "aws:cloudwatch/logGroup:LogGroup": ["retentionInDays"],
    "aws:ecs/cluster:Cluster": [],
};

function at(inputs: Record<string, unknown>, dotted: string): unknown {
    let current: unknown = inputs;
    for (const part of dotted.split(".")) {
        current = record(current)[part];
    }
    return current;
}

/** Reviewer-facing settings of one resource; never secrets (only the paths above are read). */
export function settingsOf(resource: RecordedResource): Record<string, string> {
    const out: Record<string, string> = {};
    for (const dotted of SETTINGS[resource.type] ?? []) {
        const value = show(at(resource.inputs, dotted));
        if (value !== undefined) {
            out[dotted] = value;
        }
    }
    if (resource.type === "aws:ecs/taskDefinition:TaskDefinition") {
        const env = containerEnv(resource.inputs);
        for (const name of ["DB_POOL_MAX", "DB_RESERVED_CONNECTIONS"]) {
            const value = env.get(name);
            if (value !== undefined) {
                out[`env.${name}`] = value;
            }
        }
    }
    if (resource.type === "aws:rds/parameterGroup:ParameterGroup") {
        const params = resource.inputs["parameters"];
        for (const p of Array.isArray(params) ? params.map(record) : []) {
            if (p["name"] === "max_connections") {
                out["max_connections"] = `${String(p["value"])} (${String(p["applyMethod"] ?? "immediate")})`;
            }
        }
    }
    return out;
}

/**
 * `webfleet-prod-db-pg` → `webfleet-{stack}-db-pg`, so dev and prod resources pair up in a
 * diff. The prefix is the program's own (lib/names), which shortens long stack names.
 */
export function stackNeutralName(name: string, stack: string): string {
    const prefix = resourcePrefix("webfleet", stack);
    return name === prefix || name.startsWith(`${prefix}-`) ? `webfleet-{stack}${name.slice(prefix.length)}` : name;
}

/**
 * Groups resources under the component that made them: by `parent` when the recorder
 * gives it, otherwise by our naming convention (children are named `${component}-<role>`),
 * choosing the longest component name that prefixes the resource's name.
 */
export function groupByComponent(resources: readonly RecordedResource[], stack: string): PlannedComponent[] {
    const components = resources.filter((r) => r.type.startsWith("webfleet:"));
    const groups = new Map<string, PlannedResource[]>();
    const titles = new Map<string, string>();
    for (const c of components) {
        groups.set(c.name, []);
        titles.set(c.name, `${c.type} ${c.name}`);
    }
    const top: PlannedResource[] = [];
    for (const r of resources) {
        if (r.type.startsWith("webfleet:")) {
            continue;
        }
        const planned: PlannedResource = { type: r.type, name: r.name, key: stackNeutralName(r.name, stack), settings: settingsOf(r) };
        const byParent = r.parent === undefined ? undefined : components.find((c) => r.parent === c.name || r.parent?.endsWith(`::${c.name}`));
        const byName = components
            .filter((c) => r.name.startsWith(`${c.name}-`))
            .sort((a, b) => b.name.length - a.name.length)[0];
        const owner = byParent ?? byName;
        (owner ? groups.get(owner.name) ?? top : top).push(planned);
    }
    const byTypeThenName = (a: PlannedResource, b: PlannedResource): number => a.type.localeCompare(b.type) || a.name.localeCompare(b.name);
    const out: PlannedComponent[] = components.map((c) => ({
        title: titles.get(c.name) ?? c.name,
        key: stackNeutralName(c.name, stack),
        resources: (groups.get(c.name) ?? []).sort(byTypeThenName),
    }));
    if (top.length > 0) {
        out.push({ title: "(top level)", key: "(top level)", resources: top.sort(byTypeThenName) });
    }
    return out;
}

function numberIn(config: Readonly<Record<string, string>>, key: string): number | undefined {
    const v = config[key];
    return v !== undefined && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : undefined;
}

/** Builds the plan from one program run. */
export function buildPlan(run: {
    readonly stack: string;
    readonly overrides: Readonly<Record<string, string>>;
    readonly config: Readonly<Record<string, string>>;
    readonly resources: readonly RecordedResource[];
    readonly outputs: Readonly<Record<string, unknown>>;
}): Plan {
    const service = run.resources.find((r) => r.type === "aws:ecs/service:Service");
    const fromService = service?.inputs["deploymentMaximumPercent"];
    return {
        stack: run.stack,
        overrides: run.overrides,
        capacity: toCapacityPlan(run.outputs["capacityPlan"]),
        transition: readTransition(run.outputs["capacityPlan"]),
        // What the service really gets; the config key only when no service was made.
        deploymentMaximumPercent: typeof fromService === "number" ? fromService : numberIn(run.config, "webfleet:deploymentMaximumPercent"),
        dbPoolMaxPerTask: numberIn(run.config, "webfleet:dbPoolMaxPerTask"),
        // The parent the program gave each resource (recorded by the mock runner), when known.
        components: groupByComponent(run.resources.map((r) => ({ ...r, parent: r.parent ?? r.options?.parent })), run.stack),
    };
}
