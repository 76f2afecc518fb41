/**
 * The whole program under mocks, for one stack (and optional overrides) per process:
 * WEBFLEET_STACK=prod WEBFLEET_OVERRIDES='{"replicas":"6"}'. scripts/program-tests.js runs
 * one process per stack file plus the variants below. Expectations are derived from the
 * validated settings of that config, so every stack is held to the same rules.
 */
import * as assert from "assert";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { readConfig } from "../../app/lib/env";
import { CapacityPlan, planCapacity } from "../../lib/capacity";
import { capacityOutput, CapacityPlanOutput, planTransition, readDeployedPlan } from "../../lib/transition";
import { transitionInput } from "../../deployed";
import { ACCESS_LOG_MAX_PER_SECOND, APP_ENV_NAMES, APP_PORT, APP_SECRET_NAMES, HEALTH_CHECK_PATH, METRICS_FLUSH_SECONDS } from "../../lib/app-contract";
import { servesHttps } from "../../lib/edge";
import { LOG_DELIVERY_SERVICE } from "../../lib/elb-log-delivery";
import { EMITTED_METRIC_NAMES, METRIC_DIMENSIONS, METRIC_NAMESPACE } from "../../app/lib/metric-names";
import { DashboardBody, dashboardRefs } from "../../lib/dashboard";
import { autonameFits, NAME_LIMITS, resourcePrefix } from "../../lib/names";
import { parseSettings, rawConfigFrom, Settings } from "../../lib/settings";
import { MAX_STOP_TIMEOUT_SECONDS, SHUTDOWN } from "../../lib/shutdown";
import { ContainerDefinition, environmentOf, parseContainerDefinitions } from "../../policy/container-definitions";
import { MOCK_ZONE_ID } from "../../tools/mock-runner/mocks";
import { ProgramRun, RecordedResource, runProgram } from "../../tools/mock-runner/run-program";
import { programTarget } from "../../tools/mock-runner/program-target";

const target = programTarget();
/** AWS's limits on generated credentials (ElastiCache AUTH token 16–128 characters; RDS master password up to 128). */
const AUTH_TOKEN_MIN_CHARS = 16;
const SECRET_MAX_CHARS = 128;

/**
 * Who must be allowed to write ALB access logs, per region, written out here rather than
 * taken from lib/elb-log-delivery.ts (AWS docs, "Enable access logs for your Application
 * Load Balancer"): an ELB account before August 2022, the log-delivery service after.
 */
const DELIVERY_PRINCIPALS: Readonly<Record<string, unknown>> = {
    "us-east-1": { AWS: "arn:aws:iam::127311923021:root" },
    "ap-southeast-4": { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
};



/** Asserts a mock input is a Pulumi secret (encrypted in state, masked in output) and returns its value. */
function secretValue(v: unknown): string {
    const o = obj(v);
    assert.strictEqual(o[specialSigKey], specialSecretSig, "expected a Pulumi secret");
    return String(o["value"]);
}

function pick(v: unknown, keys: readonly string[]): Record<string, unknown> {
    const o = obj(v);
    return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

function obj(v: unknown): Record<string, unknown> {
    assert.ok(typeof v === "object" && v !== null && !Array.isArray(v), `expected an object, got ${JSON.stringify(v)}`);
    return Object.fromEntries(Object.entries(v));
}

describe(`program under mocks: stack ${target.label}`, function () {
    this.timeout(60000);
    let run: ProgramRun;
    let s: Settings;
    let cap: CapacityPlan;
    const all = (type: string): RecordedResource[] => run.resources.filter((r) => r.type === type);
    const one = (type: string): RecordedResource => {
        const found = all(type);
        assert.strictEqual(found.length, 1, `expected one ${type}, found ${found.length}`);
        return found[0];
    };
    const container = (): ContainerDefinition => {
        const parsed = parseContainerDefinitions(one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"]);
        assert.ok(parsed.ok, parsed.ok ? "" : parsed.error);
        assert.strictEqual(parsed.containers.length, 1);
        return parsed.containers[0];
    };
    const env = (): ReadonlyMap<string, string> => environmentOf([container()]);
    const capacity = (): CapacityPlanOutput => {
        const out = run.outputs["capacityPlan"];
        assert.ok(typeof out === "object" && out !== null);
        return out as CapacityPlanOutput;
    };

    before(async () => {
        run = await runProgram(target.stack, target.overrides, { unchecked: target.unchecked, previousOutputs: target.previousOutputs });
        const parsed = parseSettings(rawConfigFrom(run.config), { dockerfileExists: () => true });
        assert.ok(parsed.ok, "the config under test must be valid");
        if (parsed.ok) s = parsed.settings;
        const planned = planCapacity(s);
        assert.ok(planned.ok, "the config under test must fit the budget");
        if (planned.ok) cap = planned.plan;
    });

    describe("the connection budget", () => {
        it("exports capacityPlan exactly as the transition module computes it from the deployed plan", () => {
            const input = transitionInput(s);
            const expected = planTransition(readDeployedPlan(target.previousOutputs?.["capacityPlan"]), input);
            assert.ok(expected.ok);
            if (expected.ok) assert.deepStrictEqual(run.outputs["capacityPlan"], capacityOutput(input, expected.plan));
            if (!target.previousOutputs) {
                // A first deploy sets the at-rest plan at once.
                assert.deepStrictEqual(pick(run.outputs["capacityPlan"], Object.keys(cap)), cap);
            }
        });

        it("reads the deployed plan from its own stack's last outputs", () => {
            assert.deepStrictEqual(run.stackReads, [`organization/webfleet/${target.stack}`]);
        });

        it("fits: peak tasks × DB_POOL_MAX + reserved ≤ the parameter group's max_connections", () => {
            const params = one("aws:rds/parameterGroup:ParameterGroup").inputs["parameters"];
            assert.ok(Array.isArray(params));
            const maxConnections = params.map(obj).find((p) => p["name"] === "max_connections");
            assert.ok(maxConnections, "max_connections must be set explicitly");
            assert.strictEqual(maxConnections["applyMethod"], "pending-reboot", "max_connections is static: RDS rejects immediate");
            const service = one("aws:ecs/service:Service").inputs;
            const scaling = all("aws:appautoscaling/target:Target")[0]?.inputs;
            const ceiling = Math.max(Number(service["desiredCount"]), Number(scaling?.["maxCapacity"] ?? 0));
            const peak = Math.floor((ceiling * Number(service["deploymentMaximumPercent"])) / 100);
            const pool = Number(env().get("DB_POOL_MAX"));
            const reserved = Number(env().get("DB_RESERVED_CONNECTIONS"));
            const out = capacity();
            assert.ok(pool >= 1 && pool === out.poolPerTask);
            const live = Math.min(Number(maxConnections["value"]), out.dbMaxConnectionsLive);
            assert.ok(peak * pool + reserved <= live, `${peak} × ${pool} + ${reserved} > ${live}`);
            assert.ok(out.transition.peakDuringChange <= live, "the rollout of this up fits the live limit");
            assert.strictEqual(Number(maxConnections["value"]), out.dbMaxConnections);
            assert.strictEqual(one("aws:rds/instance:Instance").inputs["instanceClass"], out.dbInstanceClass);
        });

        it("keeps TLS forced on the database", () => {
            const params = one("aws:rds/parameterGroup:ParameterGroup").inputs["parameters"];
            assert.ok(Array.isArray(params) && params.map(obj).some((p) => p["name"] === "rds.force_ssl" && p["value"] === "1"));
            assert.strictEqual(one("aws:rds/parameterGroup:ParameterGroup").inputs["family"], `postgres${s.dbEngineVersion}`);
        });
    });

    describe("the service", () => {
        it("runs `replicas` tasks with safe rolling deploys", () => {
            const svc = one("aws:ecs/service:Service").inputs;
            assert.strictEqual(svc["desiredCount"], s.replicas);
            assert.strictEqual(svc["deploymentMinimumHealthyPercent"], 100);
            assert.strictEqual(svc["deploymentMaximumPercent"], s.deploymentMaximumPercent);
            assert.deepStrictEqual(svc["deploymentCircuitBreaker"], { enable: true, rollback: true });
            assert.strictEqual(svc["launchType"], "FARGATE");
            assert.strictEqual(svc["waitForSteadyState"], true);
        });

        it("keeps tasks in private subnets without public IPs", () => {
            const net = obj(one("aws:ecs/service:Service").inputs["networkConfiguration"]);
            assert.strictEqual(net["assignPublicIp"], false);
            const subnets = net["subnets"];
            assert.ok(Array.isArray(subnets));
            if (s.vpcId !== undefined) {
                assert.deepStrictEqual(subnets, s.privateSubnetIds);
            } else {
                assert.ok(subnets.length === s.azCount && subnets.every((id) => String(id).includes("-private-")));
            }
        });

        it("runs the image pinned by digest, sized and built for the configured CPU", () => {
            const td = one("aws:ecs/taskDefinition:TaskDefinition").inputs;
            assert.strictEqual(td["cpu"], String(s.cpu));
            assert.strictEqual(td["memory"], String(s.memory));
            assert.strictEqual(td["networkMode"], "awsvpc");
            assert.deepStrictEqual(td["requiresCompatibilities"], ["FARGATE"]);
            assert.strictEqual(obj(td["runtimePlatform"])["cpuArchitecture"], s.cpuArchitecture);
            assert.match(container().image ?? "(no image)", /@sha256:[0-9a-f]{64}$/);
            assert.strictEqual(run.outputs["imageDigest"], container().image);
            const build = obj(one("docker:index/image:Image").inputs["build"]);
            assert.strictEqual(build["platform"], s.cpuArchitecture === "ARM64" ? "linux/arm64" : "linux/amd64");
            assert.strictEqual(build["context"], s.appPath, "a relative context keeps previews identical across machines");
            assert.strictEqual(one("docker:index/image:Image").inputs["buildOnPreview"], false, "PR previews must not need Docker or ECR push rights");
        });

        it("gives the app exactly the environment it expects, with HOSTNAME=0.0.0.0 and DB_POOL_MAX from the plan", () => {
            const e = env();
            assert.deepStrictEqual([...e.keys()].sort(), [...APP_ENV_NAMES].sort());
            assert.strictEqual(e.get("HOSTNAME"), "0.0.0.0");
            assert.strictEqual(e.get("PORT"), String(APP_PORT));
            assert.strictEqual(e.get("DB_POOL_MAX"), String(capacity().poolPerTask));
            assert.strictEqual(e.get("PGSSLMODE"), "verify-full");
            assert.match(e.get("REDIS_URL") ?? "", /^rediss:\/\/.+:6379$/);
            assert.strictEqual(e.get("SHUTDOWN_TIMEOUT_MS"), String(SHUTDOWN.appShutdownMs));
            assert.strictEqual(e.get("APP_VERSION"), run.outputs["version"]);
        });

        it("the app accepts that environment: the container would start (app/lib/env.ts readConfig)", () => {
            const environment: Record<string, string> = Object.fromEntries(env());
            // ECS resolves `secrets` at start; stand in realistic values for them.
            for (const name of APP_SECRET_NAMES) environment[name] = "Secret-Value-1234567890";
            const result = readConfig(environment);
            assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.problems));
            if (!result.ok) return;
            assert.strictEqual(result.config.pg.poolMax, capacity().poolPerTask);
            assert.strictEqual(result.config.redis.tls, true);
            assert.strictEqual(result.config.shutdownTimeoutMs, SHUTDOWN.appShutdownMs);
        });

        it("injects secrets only through ECS `secrets`, from Secrets Manager, never as plain env", () => {
            const c = container();
            assert.deepStrictEqual(c.secrets.map((x) => x.name).sort(), [...APP_SECRET_NAMES].sort());
            const secretArns = all("aws:secretsmanager/secret:Secret").map((r) => `arn:aws:mock:us-east-1:123456789012:${r.name}`);
            for (const secret of c.secrets) assert.ok(secretArns.includes(secret.valueFrom), `${secret.name} must come from a Secret`);
            const plain = JSON.stringify(c.environment);
            assert.ok(!/mock-secret-/.test(plain), "a generated secret leaked into the plain environment");
            assert.ok(!/PASSWORD|TOKEN|SECRET/.test(c.environment.map((x) => x.name).join()), "secret-looking name in plain env");
            const policy = String(one("aws:iam/rolePolicy:RolePolicy").inputs["policy"]);
            for (const arn of secretArns) assert.ok(policy.includes(arn), "the execution role must be able to read each secret");
        });

        it("drains before SIGKILL: deregistration delay ≤ stop timeout, app bound < stop timeout", () => {
            const tg = one("aws:lb/targetGroup:TargetGroup").inputs;
            const stopTimeout = container().stopTimeout;
            assert.ok(stopTimeout !== undefined, "the container must set stopTimeout");
            assert.ok(Number(tg["deregistrationDelay"]) <= stopTimeout);
            // The configured value reaches the container, within ECS's cap (a config check, not a clock).
            assert.strictEqual(stopTimeout, SHUTDOWN.stopTimeoutSeconds);
            assert.ok(stopTimeout <= MAX_STOP_TIMEOUT_SECONDS, `ECS caps stopTimeout at ${MAX_STOP_TIMEOUT_SECONDS} s`);
            assert.ok(SHUTDOWN.appShutdownMs < stopTimeout * 1000);
        });

        it("health-checks /api/health on an ip target group (awsvpc)", () => {
            const tg = one("aws:lb/targetGroup:TargetGroup").inputs;
            assert.strictEqual(tg["targetType"], "ip");
            assert.strictEqual(tg["port"], APP_PORT);
            assert.strictEqual(obj(tg["healthCheck"])["path"], HEALTH_CHECK_PATH);
        });

        it("autoscales between replicas and maxReplicas on ALB requests per target, when maxReplicas > replicas", () => {
            const targets = all("aws:appautoscaling/target:Target");
            const policies = all("aws:appautoscaling/policy:Policy");
            if (!s.autoscaling) {
                assert.strictEqual(targets.length + policies.length, 0);
                return;
            }
            const t = one("aws:appautoscaling/target:Target").inputs;
            // With desiredCount ignored, minCapacity is how an edit to `replicas` reaches AWS.
            assert.strictEqual(t["minCapacity"], s.replicas);
            assert.strictEqual(t["maxCapacity"], s.maxReplicas);
            assert.strictEqual(t["scalableDimension"], "ecs:service:DesiredCount");
            assert.match(String(t["resourceId"]), /^service\/.+-cluster-abc1234\/.+-svc-abc1234$/);
            const spec = obj(obj(one("aws:appautoscaling/policy:Policy").inputs["targetTrackingScalingPolicyConfiguration"])["predefinedMetricSpecification"]);
            assert.strictEqual(spec["predefinedMetricType"], "ALBRequestCountPerTarget");
            assert.match(String(spec["resourceLabel"]), /^app\/[^/]+\/[0-9a-f]+\/targetgroup\/[^/]+\/[0-9a-f]+$/);
        });
    });

    describe("the network and the security-group chain", () => {
        const sgId = (role: string): string => `${resourcePrefix("webfleet", target.stack)}-sg-${role}-id`;
        const ingress = (): Array<Record<string, unknown>> => all("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);

        it("spreads over azCount AZs with public and private subnets, and the ALB over all public ones", function () {
            if (s.vpcId !== undefined) this.skip();
            assert.strictEqual(all("aws:ec2/subnet:Subnet").length, 2 * s.azCount);
            assert.strictEqual(all("aws:ec2/natGateway:NatGateway").length, s.natGatewayPerAz ? s.azCount : 1);
            const subnets = one("aws:lb/loadBalancer:LoadBalancer").inputs["subnets"];
            assert.ok(Array.isArray(subnets) && subnets.length >= 2 && subnets.every((id) => String(id).includes("-public-")));
        });

        it("with vpcId: creates no network, puts the ALB, tasks and data stores in the given subnets and VPC", function () {
            const existing = s.vpcId === undefined ? undefined : { vpcId: s.vpcId, publicSubnetIds: s.publicSubnetIds, privateSubnetIds: s.privateSubnetIds };
            if (!existing) this.skip();
            else {
                const networkTypes = ["Vpc", "Subnet", "NatGateway", "Eip", "InternetGateway", "RouteTable", "DefaultSecurityGroup"];
                const created = run.resources.filter((r) => networkTypes.some((t) => r.type.endsWith(`:${t}`)));
                assert.deepStrictEqual(created.map((r) => r.type), []);
                assert.deepStrictEqual(one("aws:lb/loadBalancer:LoadBalancer").inputs["subnets"], existing.publicSubnetIds);
                assert.deepStrictEqual(one("aws:rds/subnetGroup:SubnetGroup").inputs["subnetIds"], existing.privateSubnetIds);
                assert.deepStrictEqual(one("aws:elasticache/subnetGroup:SubnetGroup").inputs["subnetIds"], existing.privateSubnetIds);
                for (const sg of all("aws:ec2/securityGroup:SecurityGroup")) assert.strictEqual(sg.inputs["vpcId"], existing.vpcId);
                assert.strictEqual(one("aws:lb/targetGroup:TargetGroup").inputs["vpcId"], existing.vpcId);
            }
        });

        it("places subnets only in regular AZs (no opt-in Local or Wavelength Zones)", function () {
            if (s.vpcId !== undefined) this.skip();
            const lookups = run.calls.filter((c) => c.token === "aws:index/getAvailabilityZones:getAvailabilityZones");
            assert.strictEqual(lookups.length, 1);
            assert.strictEqual(lookups[0].inputs["state"], "available");
            assert.deepStrictEqual(lookups[0].inputs["filters"], [{ name: "opt-in-status", values: ["opt-in-not-required"] }]);
        });

        it("admits the internet only to the ALB, on 80 (and 443 with a certificate)", () => {
            const open = ingress().filter((r) => r["cidrIpv4"] !== undefined || r["cidrIpv6"] !== undefined);
            assert.ok(open.length > 0);
            for (const rule of open) {
                assert.strictEqual(rule["securityGroupId"], sgId("alb"));
                assert.ok([80, 443].includes(Number(rule["fromPort"])) && rule["fromPort"] === rule["toPort"]);
            }
            assert.strictEqual(open.some((r) => r["fromPort"] === 443), servesHttps(s.edge, s.certificateArn));
        });

        it("chains ALB → tasks → Postgres / Redis by security group, on one port each", () => {
            const chained = ingress().filter((r) => r["referencedSecurityGroupId"] !== undefined);
            const hops = chained.map((r) => `${r["referencedSecurityGroupId"]}→${r["securityGroupId"]}:${r["fromPort"]}-${r["toPort"]}`).sort();
            assert.deepStrictEqual(hops, [
                `${sgId("alb")}→${sgId("task")}:3000-3000`,
                `${sgId("task")}→${sgId("cache")}:6379-6379`,
                `${sgId("task")}→${sgId("db")}:5432-5432`,
            ].sort());
            assert.deepStrictEqual(one("aws:rds/instance:Instance").inputs["vpcSecurityGroupIds"], [sgId("db")]);
            assert.deepStrictEqual(one("aws:elasticache/replicationGroup:ReplicationGroup").inputs["securityGroupIds"], [sgId("cache")]);
        });

        it("strips the VPC's default security group", function () {
            if (s.vpcId !== undefined) this.skip();
            const d = one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs;
            assert.deepStrictEqual([d["ingress"], d["egress"]], [[], []]);
        });
    });

    describe("the load balancer", () => {
        it("serves HTTPS (TLS 1.3, 1.2 fallback) and redirects HTTP with a certificate or a domain, else plain HTTP", () => {
            const listeners = all("aws:lb/listener:Listener").map((l) => l.inputs);
            const http = listeners.find((l) => l["port"] === 80);
            assert.ok(http, "port 80 always listens");
            const action = obj((http["defaultActions"] as unknown[])[0]);
            if (servesHttps(s.edge, s.certificateArn)) {
                const https = listeners.find((l) => l["port"] === 443);
                assert.ok(https && https["protocol"] === "HTTPS");
                const issued = all("aws:acm/certificateValidation:CertificateValidation")[0]?.inputs["certificateArn"];
                assert.strictEqual(https["certificateArn"], s.certificateArn ?? issued, "the listener uses the given or the validated certificate");
                assert.strictEqual(https["sslPolicy"], "ELBSecurityPolicy-TLS13-1-2-2021-06");
                assert.strictEqual(action["type"], "redirect");
                assert.deepStrictEqual(action["redirect"], { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" });
                assert.strictEqual(listeners.length, 2);
                const albHost = `${one("aws:lb/loadBalancer:LoadBalancer").name}-1234567890.us-east-1.elb.amazonaws.com`;
                assert.strictEqual(run.outputs["url"], `https://${s.edge.domain?.name ?? albHost}`);
            } else {
                assert.strictEqual(listeners.length, 1);
                assert.strictEqual(action["type"], "forward");
                assert.match(String(run.outputs["url"]), /^http:\/\//);
            }
        });

        it("drops invalid headers and follows deletionProtection", () => {
            const alb = one("aws:lb/loadBalancer:LoadBalancer").inputs;
            assert.strictEqual(alb["dropInvalidHeaderFields"], true);
            assert.strictEqual(alb["internal"], false);
            assert.strictEqual(alb["enableDeletionProtection"], s.deletionProtection);
        });
    });

    describe("the public edge: domain, certificate, access logs", () => {
        const records = (type: string): Array<Record<string, unknown>> =>
            all("aws:route53/record:Record").map((r) => r.inputs).filter((r) => r["type"] === type);
        const zoneId = (): string => (s.edge.domain?.zone.kind === "id" ? s.edge.domain.zone.id : MOCK_ZONE_ID);

        it("a prod-like stack serves HTTPS, unless allowPlainHttp says otherwise", () => {
            if (s.edge.prodLike && !s.edge.allowPlainHttp) assert.ok(servesHttps(s.edge, s.certificateArn));
            if (s.edge.allowPlainHttp) assert.ok(!servesHttps(s.edge, s.certificateArn));
        });

        it("with domainName: a DNS-validated ACM certificate — validation record, validation wait — unless certificateArn is given", () => {
            const certs = all("aws:acm/certificate:Certificate");
            const validations = all("aws:acm/certificateValidation:CertificateValidation");
            const domain = s.edge.domain;
            if (domain === undefined || s.certificateArn !== undefined) {
                assert.deepStrictEqual([certs.length, validations.length, records("CNAME").length], [0, 0, 0]);
                return;
            }
            const cert = one("aws:acm/certificate:Certificate");
            assert.strictEqual(cert.inputs["domainName"], domain.name);
            assert.strictEqual(cert.inputs["validationMethod"], "DNS");
            const [cname] = records("CNAME");
            assert.deepStrictEqual(
                [cname["zoneId"], cname["name"], cname["records"]],
                [zoneId(), `_0123456789abcdef.${domain.name}.`, ["_fedcba9876543210.acm-validations.aws."]],
            );
            const validation = one("aws:acm/certificateValidation:CertificateValidation").inputs;
            assert.strictEqual(validation["certificateArn"], `arn:aws:mock:us-east-1:123456789012:${cert.name}`);
            assert.deepStrictEqual(validation["validationRecordFqdns"], [`_0123456789abcdef.${domain.name}`]);
        });

        it("with domainName: an alias A record to the load balancer in the hosted zone (looked up by name, or given by id)", () => {
            const domain = s.edge.domain;
            const lookups = run.calls.filter((c) => c.token === "aws:route53/getZone:getZone");
            if (domain === undefined) {
                assert.deepStrictEqual([records("A").length, lookups.length], [0, 0]);
                return;
            }
            const [alias] = records("A");
            const alb = one("aws:lb/loadBalancer:LoadBalancer");
            assert.deepStrictEqual(alias, {
                zoneId: zoneId(),
                name: domain.name,
                type: "A",
                aliases: [{ name: `${alb.name}-1234567890.us-east-1.elb.amazonaws.com`, zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true }],
            });
            if (domain.zone.kind === "name") {
                assert.strictEqual(lookups.length, 1);
                assert.deepStrictEqual(lookups[0].inputs, { name: domain.zone.name, privateZone: false });
            } else {
                assert.strictEqual(lookups.length, 0, "a zone given by id needs no lookup");
            }
        });

        it("access logs: a private, SSE-S3, owner-enforced bucket that expires logs, the ALB writing to it — or nothing when off", () => {
            const alb = one("aws:lb/loadBalancer:LoadBalancer").inputs;
            if (!s.edge.accessLogs.enabled) {
                assert.strictEqual(all("aws:s3/bucket:Bucket").length, 0);
                assert.strictEqual(alb["accessLogs"], undefined);
                return;
            }
            const bucket = one("aws:s3/bucket:Bucket");
            const bucketId = `${bucket.name}-id`;
            const pab = one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
            assert.deepStrictEqual(pab, { bucket: bucketId, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            assert.deepStrictEqual(one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs["rule"], { objectOwnership: "BucketOwnerEnforced" });
            assert.deepStrictEqual(one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs["rules"], [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            ]);
            const [rule] = one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"] as Array<Record<string, unknown>>;
            assert.deepStrictEqual([rule["status"], rule["expiration"], rule["filter"]], ["Enabled", { days: s.edge.accessLogs.retentionDays }, { prefix: "alb/" }]);
            assert.strictEqual(bucket.inputs["forceDestroy"], !s.deletionProtection);
            assert.deepStrictEqual(alb["accessLogs"], { bucket: bucketId, prefix: "alb", enabled: true });
            // ELB checks its write access when logging is turned on: the ALB must wait for the bucket policy.
            const policyName = one("aws:s3/bucketPolicy:BucketPolicy").name;
            const albDeps = run.dependencies.get(one("aws:lb/loadBalancer:LoadBalancer").name) ?? [];
            assert.ok(albDeps.some((urn) => urn.endsWith(`aws:s3/bucketPolicy:BucketPolicy::${policyName}`)), `ALB depends on ${albDeps.join(", ")}`);
        });

        it("access logs: the bucket policy lets exactly this region's delivery principal write under this account's prefix", function () {
            if (!s.edge.accessLogs.enabled) this.skip();
            const expected = DELIVERY_PRINCIPALS[s.region];
            assert.ok(expected, `add ${s.region} to DELIVERY_PRINCIPALS`);
            const policy = one("aws:s3/bucketPolicy:BucketPolicy").inputs;
            const bucketId = `${one("aws:s3/bucket:Bucket").name}-id`;
            assert.strictEqual(policy["bucket"], bucketId);
            const doc = JSON.parse(String(policy["policy"]));
            const allows = doc.Statement.filter((st: Record<string, unknown>) => st["Effect"] === "Allow");
            assert.deepStrictEqual(allows, [{
                Sid: "AllowLoadBalancerLogDelivery",
                Effect: "Allow",
                Principal: expected,
                Action: "s3:PutObject",
                Resource: `arn:aws:s3:::${bucketId}/alb/AWSLogs/123456789012/*`,
            }]);
            const deny = doc.Statement.find((st: Record<string, unknown>) => st["Effect"] === "Deny");
            assert.deepStrictEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
            assert.ok(!JSON.stringify(allows).includes(s.region === "us-east-1" ? LOG_DELIVERY_SERVICE : ":root"));
        });
    });

    describe("data stores", () => {
        it("PostgreSQL: private, encrypted, backed up, with a generated password", () => {
            const db = one("aws:rds/instance:Instance").inputs;
            assert.strictEqual(db["publiclyAccessible"], false);
            assert.strictEqual(db["storageEncrypted"], true);
            assert.ok(Number(db["backupRetentionPeriod"]) >= 1);
            assert.strictEqual(db["backupRetentionPeriod"], s.dbBackupRetentionDays);
            assert.strictEqual(db["multiAz"], s.dbMultiAz);
            assert.strictEqual(db["instanceClass"], s.dbInstanceClass);
            assert.notStrictEqual(db["username"], "admin");
            assert.match(String(db["dbName"]), /^[a-zA-Z][a-zA-Z0-9_]*$/);
            assert.match(secretValue(db["password"]), /^mock-secret-/);
        });

        it("PostgreSQL: a final snapshot whenever it is not skipped, under a name unique to this instance", () => {
            const db = one("aws:rds/instance:Instance").inputs;
            assert.strictEqual(db["deletionProtection"], s.deletionProtection);
            assert.strictEqual(db["skipFinalSnapshot"], !s.deletionProtection);
            if (db["skipFinalSnapshot"] === false) {
                // RDS snapshot names are unique per account and region: a fixed one fails the second time.
                const suffix = one("random:index/randomId:RandomId");
                assert.deepStrictEqual(obj(suffix.inputs["keepers"]), { dbName: db["dbName"], username: db["username"] });
                assert.match(String(db["finalSnapshotIdentifier"]), /^[a-z][a-z0-9-]*-final-0a1b2c3d$/);
                assert.doesNotMatch(String(db["finalSnapshotIdentifier"]), /--|-$/);
            }
        });

        it("PostgreSQL: applies what the budget assumes — constant parameter-group description, changes now, major upgrades allowed, storage ceiling within RDS's limit", () => {
            const db = one("aws:rds/instance:Instance").inputs;
            assert.strictEqual(db["applyImmediately"], true);
            assert.strictEqual(db["allowMajorVersionUpgrade"], true);
            assert.strictEqual(db["engineVersion"], s.dbEngineVersion);
            const ceiling = Number(db["maxAllocatedStorage"]);
            assert.ok(ceiling === 0 || (ceiling <= 65536 && ceiling >= Number(db["allocatedStorage"]) * 1.1), String(ceiling));
            // The description forces a replacement (and a reboot-pending new group): it must not carry the budget.
            const description = String(one("aws:rds/parameterGroup:ParameterGroup").inputs["description"]);
            assert.doesNotMatch(description, /\d/);
        });

        it("Redis: TLS, encrypted at rest, auth token, cluster mode off; failover only with 2+ nodes", () => {
            const rg = one("aws:elasticache/replicationGroup:ReplicationGroup").inputs;
            assert.strictEqual(rg["transitEncryptionEnabled"], true);
            assert.strictEqual(rg["atRestEncryptionEnabled"], true);
            assert.match(secretValue(rg["authToken"]), /^mock-secret-/);
            assert.ok(String(rg["description"]).length > 0);
            assert.strictEqual(rg["numNodeGroups"], undefined);
            assert.strictEqual(rg["automaticFailoverEnabled"], s.cacheMultiAz);
            assert.strictEqual(rg["multiAzEnabled"], s.cacheMultiAz);
            assert.strictEqual(rg["numCacheClusters"], s.cacheMultiAz ? 2 : 1);
        });

        it("generates credentials with only the punctuation each service accepts", () => {
            const passwords = all("random:index/randomPassword:RandomPassword").map((r) => r.inputs);
            assert.strictEqual(passwords.length, 2);
            for (const p of passwords) {
                // Character counts: ElastiCache auth tokens take 16–128, RDS passwords 8–128.
                assert.ok(Number(p["length"]) >= AUTH_TOKEN_MIN_CHARS && Number(p["length"]) <= SECRET_MAX_CHARS, `length ${String(p["length"])}`);
                assert.ok(!/[/"@ ]/.test(String(p["overrideSpecial"])), "RDS rejects / \" @ and space");
            }
            const cacheToken = passwords.find((p) => /^[!&#$^<>-]+$/.test(String(p["overrideSpecial"])));
            assert.ok(cacheToken, "the Redis auth token may use only ! & # $ ^ < > -");
        });

        it("scans images on push and expires old ones", () => {
            const repo = one("aws:ecr/repository:Repository").inputs;
            assert.deepStrictEqual(repo["imageScanningConfiguration"], { scanOnPush: true });
            const rules = JSON.parse(String(one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs["policy"])).rules;
            assert.ok(rules.length >= 1);
        });
    });

    describe("operations", () => {
        it("keeps logs for logRetentionDays and runs Container Insights", () => {
            assert.strictEqual(one("aws:cloudwatch/logGroup:LogGroup").inputs["retentionInDays"], s.logRetentionDays);
            assert.deepStrictEqual(one("aws:ecs/cluster:Cluster").inputs["settings"], [{ name: "containerInsights", value: "enabled" }]);
        });

        it("alarms on 5xx, p99 latency, unhealthy targets, task CPU/memory, DB connections and storage, Redis memory/evictions", () => {
            const alarms = all("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs);
            const metrics = alarms.map((a) => `${a["namespace"]} ${a["metricName"]}`).sort();
            const redisNodes = s.cacheMultiAz ? 2 : 1;
            assert.deepStrictEqual(metrics, [
                "AWS/ApplicationELB HTTPCode_ELB_5XX_Count",
                "AWS/ApplicationELB HTTPCode_Target_5XX_Count",
                "AWS/ApplicationELB TargetResponseTime",
                "AWS/ApplicationELB UnHealthyHostCount",
                "AWS/ECS CPUUtilization",
                "AWS/ECS MemoryUtilization",
                ...Array<string>(redisNodes).fill("AWS/ElastiCache DatabaseMemoryUsagePercentage"),
                ...Array<string>(redisNodes).fill("AWS/ElastiCache Evictions"),
                "AWS/RDS DatabaseConnections",
                "AWS/RDS FreeStorageSpace",
            ]);
            const db = alarms.find((a) => a["metricName"] === "DatabaseConnections");
            assert.ok(db && Number(db["threshold"]) < capacity().peakConnections && Number(db["threshold"]) > 0, "tied to the plan's peak");
            assert.strictEqual(db["threshold"], Math.floor(capacity().peakConnections * 0.9));
            assert.ok(Number(db["threshold"]) <= capacity().dbMaxConnectionsLive, "an alarm the database can reach");
            const p99 = alarms.find((a) => a["metricName"] === "TargetResponseTime");
            assert.ok(p99 && p99["extendedStatistic"] === "p99" && p99["statistic"] === undefined, "p99 is an extended statistic, never both");
            const storage = alarms.find((a) => a["metricName"] === "FreeStorageSpace");
            assert.ok(storage && storage["comparisonOperator"] === "LessThanThreshold" && Number(storage["threshold"]) < s.dbAllocatedStorageGb * 1024 ** 3);
        });

        it("every alarm names an action: the fleet's SNS topic, on alarm and on recovery", () => {
            const topicArn = `arn:aws:mock:us-east-1:123456789012:${one("aws:sns/topic:Topic").name}`;
            const alarms = all("aws:cloudwatch/metricAlarm:MetricAlarm");
            // 5xx ×2, p99, unhealthy, CPU, memory, DB connections, DB storage, and memory + evictions per Redis node.
            assert.strictEqual(alarms.length, 8 + 2 * (s.cacheMultiAz ? 2 : 1));
            for (const a of alarms) {
                assert.deepStrictEqual(a.inputs["alarmActions"], [topicArn], `${a.name} notifies nobody`);
                assert.deepStrictEqual(a.inputs["okActions"], [topicArn], a.name);
                assert.match(String(a.inputs["alarmDescription"]), /\w+ \w+ \w+/, `${a.name} says what is wrong`);
            }
            assert.strictEqual(run.outputs["alarmTopicArn"], topicArn);
        });

        it("subscribes each alarmEmail address to the topic (none when unset)", () => {
            const subs = all("aws:sns/topicSubscription:TopicSubscription").map((x) => x.inputs);
            assert.deepStrictEqual(subs.map((x) => x["endpoint"]), [...s.alarmEmail]);
            const topicArn = `arn:aws:mock:us-east-1:123456789012:${one("aws:sns/topic:Topic").name}`;
            for (const x of subs) assert.deepStrictEqual([x["protocol"], x["topic"]], ["email", topicArn]);
        });

        it("tells the tasks their metrics Service name, flush interval and access-log rate", () => {
            const e = env();
            const prefix = resourcePrefix("webfleet", target.stack);
            assert.strictEqual(e.get("METRICS_SERVICE"), prefix);
            assert.strictEqual(e.get("METRICS_FLUSH_S"), String(METRICS_FLUSH_SECONDS));
            assert.strictEqual(e.get("ACCESS_LOG_MAX_PER_S"), String(ACCESS_LOG_MAX_PER_SECOND));
        });

        describe("the dashboard", () => {
            const body = (): DashboardBody => JSON.parse(String(one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"]));
            /** What exists for the resources this program created, as the mocks report their ids and ARN suffixes. */
            const existing = (): Record<string, Record<string, string[]>> => {
                const state = (type: string): RecordedResource => one(type);
                const alb = `app/${state("aws:lb/loadBalancer:LoadBalancer").name}/0123456789abcdef`;
                const tg = `targetgroup/${state("aws:lb/targetGroup:TargetGroup").name}/0123456789abcdef`;
                const cluster = `${state("aws:ecs/cluster:Cluster").name}-abc1234`;
                const svc = `${state("aws:ecs/service:Service").name}-abc1234`;
                const rg = state("aws:elasticache/replicationGroup:ReplicationGroup");
                const nodes = Array.from({ length: Number(rg.inputs["numCacheClusters"]) }, (_, i) => `${rg.name}-id-00${i + 1}`);
                // Metric names per namespace, as AWS documents them, with the dimension values of our resources.
                return {
                    "AWS/ApplicationELB": { metrics: ["RequestCount", "TargetResponseTime", "HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "HealthyHostCount"], LoadBalancer: [alb], TargetGroup: [tg] },
                    "AWS/ECS": { metrics: ["CPUUtilization", "MemoryUtilization"], ClusterName: [cluster], ServiceName: [svc] },
                    "ECS/ContainerInsights": { metrics: ["RunningTaskCount"], ClusterName: [cluster], ServiceName: [svc] },
                    "AWS/RDS": { metrics: ["DatabaseConnections", "CPUUtilization", "FreeStorageSpace"], DBInstanceIdentifier: [state("aws:rds/instance:Instance").name] },
                    "AWS/ElastiCache": { metrics: ["EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions"], CacheClusterId: nodes },
                    [METRIC_NAMESPACE]: { metrics: [...EMITTED_METRIC_NAMES], [METRIC_DIMENSIONS.service]: [env().get("METRICS_SERVICE") ?? ""] },
                };
            };

            it("refers only to metrics the app emits and AWS metrics of resources this program creates", () => {
                const known = existing();
                const refs = dashboardRefs(body());
                assert.ok(refs.metrics.length > 15 && refs.searches.length >= 4);
                for (const m of refs.metrics) {
                    const ns = known[m.namespace];
                    assert.ok(ns, `unknown namespace ${m.namespace}`);
                    assert.ok(ns["metrics"].includes(m.metricName), `${m.namespace} ${m.metricName} is not emitted`);
                    assert.ok(Object.keys(m.dimensions).length > 0, `${m.metricName} without dimensions`);
                    for (const [key, value] of Object.entries(m.dimensions)) {
                        assert.ok(ns[key]?.includes(value), `${m.namespace} ${m.metricName}: ${key}=${value} is none of this stack's resources (${JSON.stringify(ns[key])})`);
                    }
                }
                for (const q of refs.searches) {
                    assert.strictEqual(q.namespace, METRIC_NAMESPACE);
                    assert.ok(EMITTED_METRIC_NAMES.includes(q.metricName), q.metricName);
                    assert.ok(q.dimensionKeys.every((k) => Object.values(METRIC_DIMENSIONS).some((d) => d === k)), q.dimensionKeys.join());
                    assert.deepStrictEqual(q.filters, { [METRIC_DIMENSIONS.service]: env().get("METRICS_SERVICE") });
                }
                const dbWidget = body().widgets.find((w) => w.properties.title.startsWith("PostgreSQL connections"));
                assert.deepStrictEqual(dbWidget?.properties.annotations?.horizontal.map((a) => a.value), [capacity().peakConnections, capacity().dbMaxConnections]);
                for (const w of body().widgets) assert.strictEqual(w.properties.region, s.region);
            });

            it("is one ComponentResource with one dashboard, and its URL is a stack output", () => {
                assert.strictEqual(all("webfleet:ops:Dashboard").length, 1);
                const name = one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardName"];
                assert.strictEqual(name, resourcePrefix("webfleet", target.stack));
                assert.strictEqual(run.outputs["dashboardUrl"], `https://${s.region}.console.aws.amazon.com/cloudwatch/home?region=${s.region}#dashboards:name=${name}`);
            });
        });
    });

    describe("AWS limits and outputs", () => {
        it("every autonamed resource fits its AWS name limit", () => {
            const checked = run.resources.filter((r) => NAME_LIMITS[r.type] !== undefined);
            // The resources with the tightest limits are among those checked.
            for (const t of ["aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup", "aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup"]) {
                assert.ok(checked.some((r) => r.type === t), `${t} is checked`);
            }
            for (const r of checked) assert.ok(autonameFits(r.type, r.name), `${r.type} ${r.name}: ${r.name.length} + 8 > ${NAME_LIMITS[r.type]}`);
        });

        it("names every resource under the stack's prefix", () => {
            const prefix = resourcePrefix("webfleet", target.stack);
            for (const r of run.resources) assert.ok(r.name.startsWith(`${prefix}-`), `${r.name} lacks ${prefix}-`);
        });

        it("exports url, capacityPlan, digest, names and endpoints, and no secret", () => {
            for (const key of ["url", "capacityPlan", "imageDigest", "clusterName", "serviceName", "dbEndpoint", "cacheEndpoint", "alarmTopicArn", "dashboardUrl"]) {
                assert.ok(run.outputs[key] !== undefined, key);
            }
            assert.ok(!/mock-secret-|mock-ecr-password/.test(JSON.stringify(run.outputs)), "a secret reached a plain output");
        });

        if (target.stack === "prod" && Object.keys(target.overrides).length === 0) {
            it("prod: 4 tasks autoscaling to 8, Multi-AZ data stores, deletion protection, ≥ 7 days of backups", () => {
                assert.deepStrictEqual(
                    [s.replicas, s.maxReplicas, s.dbMultiAz, s.cacheMultiAz, s.deletionProtection, s.natGatewayPerAz],
                    [4, 8, true, true, true, true],
                );
                assert.ok(s.dbBackupRetentionDays >= 7);
            });
        }
        if (target.stack === "prod" && Object.keys(target.overrides).length === 0) {
            it("prod: prod-like, HTTPS through the domain placeholder, access logs on", () => {
                assert.deepStrictEqual(
                    [s.edge.prodLike, s.edge.allowPlainHttp, s.edge.domain?.zone.kind, s.edge.accessLogs.enabled],
                    [true, false, "name", true],
                );
                assert.strictEqual(run.outputs["url"], `https://${s.edge.domain?.name}`);
            });
        }
        if (target.stack === "dev" && Object.keys(target.overrides).length === 0) {
            it("dev: 1–2 small tasks, single-AZ data stores, short logs, no deletion protection", () => {
                assert.deepStrictEqual([s.replicas, s.maxReplicas, s.cpu], [1, 2, 512]);
                assert.deepStrictEqual([s.dbMultiAz, s.cacheMultiAz, s.deletionProtection], [false, false, false]);
                assert.strictEqual(s.logRetentionDays, 7);
            });
        }
    });
});
