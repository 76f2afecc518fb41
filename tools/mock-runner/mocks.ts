/**
 * Pulumi mocks that record every resource the program registers, answer the data-source
 * calls the program is known to make, and throw on any other call so a new dependency
 * on the outside world cannot slip in unnoticed.
 */
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** What the mock answered beyond the inputs: id, arn, names AWS would compute (so references can be traced). */
    readonly computed?: Record<string, unknown>;
    /** Resource options the program set (run-program.ts captures them); absent when none. */
    readonly options?: RecordedOptions;
}

/** The resource options that change what `pulumi preview` shows, as the program passed them. */
export interface RecordedOptions {
    /** Name of the parent resource (a component), when not the stack. */
    readonly parent?: string;
    readonly ignoreChanges?: readonly string[];
    readonly replaceOnChanges?: readonly string[];
    readonly protect?: boolean;
    readonly deleteBeforeReplace?: boolean;
    readonly retainOnDelete?: boolean;
}

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
/** The hosted zone every `getZone` lookup finds, and Route 53's zone id for ALBs in us-east-1. */
export const MOCK_ZONE_ID = "Z0123456789MOCKZONE";
const ALB_ZONE_ID = "Z35SXDOTRQ7X7K";

/** The ARN the mocks give a resource with this logical name. */
export function mockArn(name: string): string {
    return `arn:aws:mock:${REGION}:${ACCOUNT}:${name}`;
}

function record(v: unknown): Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {};
}

/** Outputs AWS would compute, so that interpolations in the program see realistic values. */
function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const arn = mockArn(name);
    const base: Record<string, unknown> = { arn, id: `${name}-id` };
    switch (type) {
        case "aws:lb/loadBalancer:LoadBalancer":
            return { ...base, arnSuffix: `app/${name}/0123456789abcdef`, dnsName: `${name}-1234567890.${REGION}.elb.amazonaws.com`, zoneId: ALB_ZONE_ID };
        case "aws:acm/certificate:Certificate": {
            // What ACM asks for to validate by DNS: one CNAME per name.
            const domain = String(inputs["domainName"]);
            return {
                ...base,
                domainValidationOptions: [{
                    domainName: domain,
                    resourceRecordName: `_0123456789abcdef.${domain}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: "_fedcba9876543210.acm-validations.aws.",
                }],
            };
        }
        case "aws:route53/record:Record":
            return { ...base, fqdn: String(inputs["name"]).replace(/\.$/, "") };
        case "aws:s3/bucket:Bucket":
            // A bucket's id is its name.
            return { ...base, bucket: `${name}-id`, arn: `arn:aws:s3:::${name}-id` };
        case "aws:lb/targetGroup:TargetGroup":
            return { ...base, arnSuffix: `targetgroup/${name}/0123456789abcdef` };
        case "aws:ecr/repository:Repository":
            return { ...base, name, registryId: ACCOUNT, repositoryUrl: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}` };
        case "docker:index/image:Image":
            return { repoDigest: `${String(inputs["imageName"]).split(":")[0]}@sha256:${"ab".repeat(32)}` };
        case "aws:rds/instance:Instance":
            return { ...base, address: `${name}.abcdefghijkl.${REGION}.rds.amazonaws.com`, port: 5432, identifier: name };
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return {
                ...base,
                primaryEndpointAddress: `master.${name}.abcdef.use1.cache.amazonaws.com`,
                // ElastiCache names a cluster-mode-off group's nodes <group id>-001, -002, …
                memberClusters: Array.from({ length: Number(inputs["numCacheClusters"] ?? 1) }, (_, i) => `${name}-id-00${i + 1}`),
            };
        case "random:index/randomId:RandomId":
            return { ...base, hex: "0a1b2c3d", b64Url: "ChssPQ", dec: "169552957" };
        case "random:index/randomPassword:RandomPassword":
            return { result: `mock-secret-${name}`, bcryptHash: "mock" };
        case "aws:ecs/cluster:Cluster":
        case "aws:ecs/service:Service":
        case "aws:iam/role:Role":
        case "aws:rds/parameterGroup:ParameterGroup":
        case "aws:rds/subnetGroup:SubnetGroup":
        case "aws:elasticache/subnetGroup:SubnetGroup":
        case "aws:cloudwatch/logGroup:LogGroup":
            // Autonamed: logical name + "-" + 7 chars, as Pulumi would.
            return { ...base, name: inputs["name"] ?? `${name}-abc1234` };
        default:
            return base;
    }
}

export interface RecordedCall {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
}

/** The StackReference type: the program reads its own stack's last outputs through one. */
export const STACK_REFERENCE = "pulumi:pulumi:StackReference";

export class RecordingMocks implements pulumi.runtime.Mocks {
    public readonly resources: RecordedResource[] = [];
    public readonly calls: RecordedCall[] = [];
    /** Stacks the program read through a StackReference (full names), kept apart from the resources it manages. */
    public readonly stackReads: string[] = [];

    /**
     * `previousOutputs`: what the stack's last `up` exported, served to a StackReference of the
     * stack itself; undefined is a stack that has never been deployed (no outputs).
     */
    constructor(private readonly previousOutputs: Record<string, unknown> | undefined = undefined) {}

    public newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        if (args.type === STACK_REFERENCE) {
            const name = String(record(args.inputs)["name"] ?? args.name);
            this.stackReads.push(name);
            return { id: name, state: { name, outputs: this.previousOutputs ?? {}, secretOutputNames: [] } };
        }
        const computed = computedState(args.type, args.name, record(args.inputs));
        this.resources.push({ type: args.type, name: args.name, inputs: record(args.inputs), computed: { ...computed, id: `${args.name}-id` } });
        const state = { ...computed, ...record(args.inputs) };
        return { id: `${args.name}-id`, state };
    }

    public call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        this.calls.push({ token: args.token, inputs: record(args.inputs) });
        switch (args.token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return {
                    names: ["a", "b", "c", "d", "e", "f"].map((z) => `${REGION}${z}`),
                    zoneIds: [1, 2, 3, 4, 5, 6].map((n) => `use1-az${n}`),
                    id: REGION,
                };
            case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
                return { userName: "AWS", password: "mock-ecr-password", authorizationToken: "bW9jaw==", proxyEndpoint: "https://mock", id: "mock" };
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/mock`, userId: "mock", id: ACCOUNT };
            case "aws:route53/getZone:getZone":
                return { zoneId: MOCK_ZONE_ID, id: MOCK_ZONE_ID, name: String(args.inputs["name"] ?? "example.com"), privateZone: false };
            case "aws:index/getRegion:getRegion":
                return { name: REGION, region: REGION, id: REGION };
            default:
                throw new Error(`unexpected call to ${args.token} in the program under test; add it to tools/mock-runner/mocks.ts deliberately`);
        }
    }
}
