/**
 * Config validation at its edges: every value read back as parsed, every valid shape
 * accepted, every numeric bound accepted at its edge and refused one past it. Written
 * from the mutation survivors of issue 16 (docs/MUTATION.md).
 */
import * as assert from "assert";
import { ConfigProblem } from "../../lib/problems";
import { OPTIONAL_KEYS, undeclaredKeyProblems } from "../../lib/settings";
import { parseWith, problemsWith } from "../support/raw-config";
import { readProjectFile } from "../../tools/mock-runner/stack-config";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-4567-89ef-0123-456789abcdef";
const VPC = { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: "subnet-01234567, subnet-89abcdef", privateSubnetIds: "subnet-0123456789abcdef0,subnet-fedcba98" };

function settingsWith(overrides: Record<string, string | undefined>) {
    const r = parseWith(overrides);
    assert.ok(r.ok, r.ok ? "" : r.problems.map((p) => `${p.key} = ${p.given}: ${p.allowed}`).join("\n"));
    return { ...r.settings, capacity: r.capacity };
}

const describeProblems = (problems: readonly ConfigProblem[]): string => problems.map((p) => `${p.key} = ${p.given}: ${p.allowed}`).join("\n");

/** The problems naming `key`. */
function problemsOn(key: string, overrides: Record<string, string | undefined>): string[] {
    return problemsWith(overrides)
        .filter((p) => p.key === key || p.key === `webfleet:${key}`)
        .map((p) => `${p.given}: ${p.allowed}`);
}

describe("config validation at the edges (lib/settings)", () => {
    it("reads every value back as given, not as a default", () => {
        const s = settingsWith({
            "aws:region": "eu-west-2",
            replicas: " 3 ",
            maxReplicas: "9",
            deploymentMaximumPercent: "150",
            autoscalingRequestsPerTarget: "1234",
            cpu: "2048",
            memory: "8192",
            cpuArchitecture: "ARM64",
            appPath: "app",
            azCount: "2",
            logRetentionDays: "14",
            dbInstanceClass: "db.x9.huge",
            dbEngineVersion: "17",
            dbAllocatedStorageGb: "100",
            dbBackupRetentionDays: "35",
            dbMaxConnections: "900",
            dbReservedConnections: "7",
            dbPoolMaxPerTask: "40",
            dbPoolMinPerTask: "2",
            cacheEngine: "valkey",
            cacheNodeType: "cache.r7g.large",
        });
        const { region, replicas, maxReplicas, autoscaling, deploymentMaximumPercent, autoscalingRequestsPerTarget, cpu, memory, cpuArchitecture, appPath, azCount, logRetentionDays, vpcId, certificateArn } = s;
        assert.deepStrictEqual(
            { region, replicas, maxReplicas, autoscaling, deploymentMaximumPercent, autoscalingRequestsPerTarget, cpu, memory, cpuArchitecture, appPath, azCount, logRetentionDays, vpcId, certificateArn },
            { region: "eu-west-2", replicas: 3, maxReplicas: 9, autoscaling: true, deploymentMaximumPercent: 150, autoscalingRequestsPerTarget: 1234, cpu: 2048, memory: 8192, cpuArchitecture: "ARM64", appPath: "app", azCount: 2, logRetentionDays: 14, vpcId: undefined, certificateArn: undefined },
        );
        const { dbInstanceClass: instanceClass, dbEngineVersion: engineVersion, dbAllocatedStorageGb: allocatedStorageGb, dbBackupRetentionDays: backupRetentionDays, dbMaxConnections: maxConnections, dbReservedConnections: reservedConnections, dbPoolMaxPerTask: poolMaxPerTask, dbPoolMinPerTask: poolMinPerTask } = s;
        assert.deepStrictEqual(
            { instanceClass, engineVersion, allocatedStorageGb, backupRetentionDays, maxConnections, reservedConnections, poolMaxPerTask, poolMinPerTask },
            { instanceClass: "db.x9.huge", engineVersion: "17", allocatedStorageGb: 100, backupRetentionDays: 35, maxConnections: 900, reservedConnections: 7, poolMaxPerTask: 40, poolMinPerTask: 2 },
        );
        assert.strictEqual(s.cacheEngine, "valkey");
        assert.strictEqual(s.cacheNodeType, "cache.r7g.large");
        // floor(9 × 150 / 100) = 13 peak tasks; (900 − 7) / 13 = 68, capped at 40.
        assert.deepStrictEqual({ ...s.capacity }, { replicas: 3, maxReplicas: 9, peakTasks: 13, dbMaxConnections: 900, dbReservedConnections: 7, poolPerTask: 40, peakConnections: 527 });
    });

    for (const key of ["natGatewayPerAz", "deletionProtection", "dbMultiAz", "cacheMultiAz"] as const) {
        it(`reads ${key} back as the boolean given`, () => {
            const read = (v: string): boolean => {
                const s = settingsWith({ [key]: v });
                return { natGatewayPerAz: s.natGatewayPerAz, deletionProtection: s.deletionProtection, dbMultiAz: s.dbMultiAz, cacheMultiAz: s.cacheMultiAz }[key];
            };
            assert.strictEqual(read("false"), false);
            assert.strictEqual(read(" true "), true);
            assert.match(problemsOn(key, { [key]: "True" }).join(), /"True": must be true or false\./);
            assert.deepStrictEqual(problemsOn(key, { [key]: "" }), ['"": true or false is required; Pulumi.yaml should declare a default for it.']);
        });
    }

    it("accepts an existing VPC with exactly two public and two private subnets, and keeps them", () => {
        const s = settingsWith(VPC);
        assert.deepStrictEqual(JSON.parse(JSON.stringify({ vpcId: s.vpcId, publicSubnetIds: s.publicSubnetIds, privateSubnetIds: s.privateSubnetIds })), {
            vpcId: "vpc-0123456789abcdef0",
            publicSubnetIds: ["subnet-01234567", "subnet-89abcdef"],
            privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-fedcba98"],
        });
        assert.strictEqual(settingsWith({ ...VPC, vpcId: "vpc-01234567" }).vpcId, "vpc-01234567");
        // Subnets are optional keys: empty (or unset) means none.
        assert.deepStrictEqual(problemsOn("publicSubnetIds", { publicSubnetIds: undefined, privateSubnetIds: undefined }), []);
    });

    it("refuses VPC and subnet ids of the wrong length, and a subnet listed twice", () => {
        assert.match(problemsOn("vpcId", { ...VPC, vpcId: "vpc-012345678" }).join(), /"vpc-012345678": must be a VPC id like vpc-0123456789abcdef0, or empty to create a VPC\./);
        assert.match(problemsOn("vpcId", { ...VPC, vpcId: "xvpc-01234567" }).join(), /must be a VPC id/);
        assert.match(problemsOn("publicSubnetIds", { ...VPC, publicSubnetIds: "subnet-01234567,subnet-0123456" }).join(), /not: "subnet-0123456"\./);
        assert.match(problemsOn("publicSubnetIds", { ...VPC, publicSubnetIds: "subnet-01234567,subnet-01234567x" }).join(), /not: "subnet-01234567x"/);
        assert.match(problemsOn("publicSubnetIds", { ...VPC, publicSubnetIds: "xsubnet-01234567,subnet-01234567" }).join(), /not: "xsubnet-01234567"/);
        assert.deepStrictEqual(problemsOn("publicSubnetIds", { ...VPC, publicSubnetIds: "subnet-01234567,subnet-01234567" }), [
            '"subnet-01234567,subnet-01234567": lists subnet-01234567 twice.',
        ]);
        assert.deepStrictEqual(problemsOn("privateSubnetIds", { ...VPC, privateSubnetIds: "subnet-fedcba98" }), [
            '"subnet-fedcba98": with vpcId set, list at least 2 subnets of vpc-0123456789abcdef0, in different AZs.',
        ]);
        assert.deepStrictEqual(problemsOn("privateSubnetIds", { privateSubnetIds: "subnet-01234567" }), [
            '"subnet-01234567": only applies with vpcId; set vpcId too, or leave this empty to create a VPC.',
        ]);
        assert.deepStrictEqual(problemsOn("publicSubnetIds", { publicSubnetIds: "subnet-01234567,subnet-89abcdef" }), [
            '"subnet-01234567,subnet-89abcdef": only applies with vpcId; set vpcId too, or leave this empty to create a VPC.',
        ]);
        assert.deepStrictEqual(problemsOn("privateSubnetIds", { ...VPC, privateSubnetIds: "subnet-89abcdef,subnet-fedcba98" }), [
            '"subnet-89abcdef": must not repeat a public subnet: tasks and data stores stay off the internet-facing subnets.',
        ]);
    });

    it("names every bad subnet id and every repeated one, with what is allowed", () => {
        assert.deepStrictEqual(problemsOn("publicSubnetIds", { ...VPC, publicSubnetIds: "sn-1,subnet-01234567,sn-2" }), [
            '"sn-1,subnet-01234567,sn-2": must be subnet ids like subnet-0123456789abcdef0, comma-separated; not: "sn-1", "sn-2".',
        ]);
        assert.deepStrictEqual(problemsOn("privateSubnetIds", { ...VPC, privateSubnetIds: "sn-3,subnet-01234567" }), [
            '"sn-3,subnet-01234567": must be subnet ids like subnet-0123456789abcdef0, comma-separated; not: "sn-3".',
        ]);
        assert.deepStrictEqual(problemsOn("privateSubnetIds", { ...VPC, privateSubnetIds: "subnet-01234567,subnet-89abcdef" }), [
            '"subnet-01234567,subnet-89abcdef": must not repeat a public subnet: tasks and data stores stay off the internet-facing subnets.',
        ]);
    });

    it("reports a missing or malformed key once, not again through the rules that depend on it", () => {
        assert.deepStrictEqual(problemsWith({ dbInstanceClass: undefined }).map((p) => `${p.key} = ${p.given}`), ["webfleet:dbInstanceClass = (unset)"]);
        assert.deepStrictEqual(problemsWith({ dbInstanceClass: "t4g.medium" }).map((p) => p.key), ["webfleet:dbInstanceClass"]);
        assert.deepStrictEqual(problemsWith({ "aws:region": undefined, certificateArn: CERT }).map((p) => p.key), ["aws:region"]);
        assert.deepStrictEqual(problemsWith({ appPath: undefined }).map((p) => p.key), ["webfleet:appPath"]);
        assert.strictEqual(settingsWith({ certificateArn: undefined, vpcId: undefined }).certificateArn, undefined);
    });

    it("accepts a valid certificate ARN in the stack's region, in any partition", () => {
        assert.strictEqual(settingsWith({ certificateArn: CERT }).certificateArn, CERT);
        const gov = CERT.replace("arn:aws:acm:us-east-1", "arn:aws-us-gov:acm:us-gov-west-1");
        assert.strictEqual(settingsWith({ "aws:region": "us-gov-west-1", certificateArn: gov }).certificateArn, gov);
        assert.match(problemsOn("certificateArn", { certificateArn: `${CERT}0` }).join(), /must be an ACM certificate ARN like/);
        assert.match(problemsOn("certificateArn", { certificateArn: CERT.replace("123456789012", "12345678901") }).join(), /must be an ACM/);
        assert.match(problemsOn("certificateArn", { certificateArn: `x${CERT}` }).join(), /must be an ACM/);
        assert.deepStrictEqual(problemsOn("certificateArn", { "aws:region": "eu-west-1", certificateArn: CERT }), [
            `"${CERT}": an ALB needs a certificate in its own region (eu-west-1), not us-east-1.`,
        ]);
    });

    it("accepts AWS region names and refuses availability zones and other shapes", () => {
        for (const region of ["us-east-1", "eu-central-2", "ap-southeast-4", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "cn-north-1"]) {
            assert.strictEqual(settingsWith({ "aws:region": region }).region, region);
        }
        for (const bad of ["us-east-1a", "us-east-12", "xus-east-1", "us-east", "useast-1", "US-EAST-1"]) {
            assert.match(problemsOn("aws:region", { "aws:region": bad }).join(), /must be an AWS region such as us-east-1/, bad);
        }
    });

    it("accepts maxReplicas equal to replicas (autoscaling off) and refuses one below", () => {
        const s = settingsWith({ replicas: "4", maxReplicas: "4" });
        assert.strictEqual(s.maxReplicas, 4);
        assert.strictEqual(s.autoscaling, false);
        assert.deepStrictEqual(problemsOn("maxReplicas", { replicas: "4", maxReplicas: "3" }), ["3: must be at least replicas (4), or 0 to turn autoscaling off."]);
        assert.strictEqual(settingsWith({ replicas: "4", maxReplicas: "5" }).autoscaling, true);
        assert.strictEqual(settingsWith({ maxReplicas: "" }).maxReplicas, 4);
    });

    // Each integer key at both edges of its range: the edge is accepted, one past it refused
    // with the range named. Cross-key rules are kept satisfied by `with`.
    const ranges: Array<[string, number, number, Record<string, string>?]> = [
        ["replicas", 1, 1000, { maxReplicas: "0", dbMaxConnections: "262143", dbPoolMinPerTask: "1" }],
        ["maxReplicas", 1, 1000, { replicas: "1", dbMaxConnections: "262143", dbPoolMinPerTask: "1" }],
        ["autoscalingRequestsPerTarget", 1, 10_000_000],
        ["azCount", 2, 6],
        ["dbAllocatedStorageGb", 20, 65_536],
        ["dbBackupRetentionDays", 1, 35],
        ["dbMaxConnections", 10, 262_143, { dbReservedConnections: "3", replicas: "1", maxReplicas: "0", dbPoolMinPerTask: "1" }],
        ["dbReservedConnections", 3, 262_143, { dbMaxConnections: "262143", replicas: "1", maxReplicas: "0", dbPoolMinPerTask: "1" }],
        ["dbPoolMaxPerTask", 1, 10_000, { dbPoolMinPerTask: "1" }],
        ["dbPoolMinPerTask", 1, 10_000, { dbPoolMaxPerTask: "10000", replicas: "1", maxReplicas: "0", dbMaxConnections: "262143" }],
    ];
    for (const [key, min, max, context = {}] of ranges) {
        it(`${key}: accepts ${min} and ${max}, refuses ${min - 1} and ${max + 1}`, () => {
            const range = new RegExp(`must be an integer from ${min} to ${max}\\b`);
            for (const ok of [min, max]) {
                assert.deepStrictEqual(problemsOn(key, { ...context, [key]: String(ok) }).filter((p) => /integer from/.test(p)), [], `${key} = ${ok}`);
            }
            for (const bad of [min - 1, max + 1]) {
                const optionalZero = bad === 0 && (key === "maxReplicas" || key === "dbMaxConnections");
                if (optionalZero) continue; // 0 means "not set" for optional keys
                assert.match(problemsOn(key, { ...context, [key]: String(bad) }).join("\n"), range, `${key} = ${bad}`);
            }
        });
    }

    it("the edges that are themselves valid give valid settings", () => {
        assert.strictEqual(settingsWith({ replicas: "1", maxReplicas: "0", dbPoolMinPerTask: "1" }).replicas, 1);
        assert.strictEqual(settingsWith({ autoscalingRequestsPerTarget: "1" }).autoscalingRequestsPerTarget, 1);
        assert.strictEqual(settingsWith({ autoscalingRequestsPerTarget: "10000000" }).autoscalingRequestsPerTarget, 10_000_000);
        assert.strictEqual(settingsWith({ dbAllocatedStorageGb: "20" }).dbAllocatedStorageGb, 20);
        assert.strictEqual(settingsWith({ dbAllocatedStorageGb: "65536" }).dbAllocatedStorageGb, 65_536);
        assert.strictEqual(settingsWith({ azCount: "6" }).azCount, 6);
        assert.strictEqual(settingsWith({ dbBackupRetentionDays: "1" }).dbBackupRetentionDays, 1);
        assert.strictEqual(settingsWith({ dbPoolMaxPerTask: "5", dbPoolMinPerTask: "5" }).dbPoolMaxPerTask, 5);
    });

    it("Fargate memory: 512 MiB (cpu 256) and 122880 MiB (cpu 16384) accepted, one past refused", () => {
        assert.strictEqual(settingsWith({ cpu: "256", memory: "512" }).memory, 512);
        assert.strictEqual(settingsWith({ cpu: "16384", memory: "122880" }).memory, 122_880);
        assert.match(problemsOn("memory", { cpu: "256", memory: "511" }).join(), /integer from 512 to 122880/);
        assert.match(problemsOn("memory", { cpu: "16384", memory: "122881" }).join(), /integer from 512 to 122880/);
        assert.deepStrictEqual(problemsOn("memory", { cpu: "256", memory: "4096" }), ["4096: Fargate does not offer 4096 MiB with cpu 256; allowed: 512, 1024, 2048 MiB."]);
    });

    it("deploy headroom: one replica needs 200 % (199 % refused), two need 150 % (149 % refused)", () => {
        assert.deepStrictEqual(problemsOn("deploymentMaximumPercent", { replicas: "1", maxReplicas: "0", deploymentMaximumPercent: "199" }), [
            "199: with 1 replica(s) ECS could start no new task during a deploy (floor(1 × 199 / 100) = 1); use at least 200.",
        ]);
        assert.strictEqual(settingsWith({ replicas: "1", maxReplicas: "0", deploymentMaximumPercent: "200" }).deploymentMaximumPercent, 200);
        assert.deepStrictEqual(problemsOn("deploymentMaximumPercent", { replicas: "2", maxReplicas: "0", deploymentMaximumPercent: "149" }), [
            "149: with 2 replica(s) ECS could start no new task during a deploy (floor(2 × 149 / 100) = 2); use at least 150.",
        ]);
        assert.strictEqual(settingsWith({ replicas: "2", maxReplicas: "0", deploymentMaximumPercent: "150" }).deploymentMaximumPercent, 150);
        assert.strictEqual(settingsWith({ replicas: "100", maxReplicas: "0", deploymentMaximumPercent: "101", dbMaxConnections: "5000", dbPoolMinPerTask: "1" }).deploymentMaximumPercent, 101);
        assert.match(problemsOn("deploymentMaximumPercent", { deploymentMaximumPercent: "100" }).join(), /must be an integer from 101 to 200\./);
        assert.match(problemsOn("deploymentMaximumPercent", { deploymentMaximumPercent: "201" }).join(), /must be an integer from 101 to 200\./);
    });

    it("pool min may equal pool max, not exceed it; reserved must stay below max_connections", () => {
        assert.strictEqual(settingsWith({ dbPoolMinPerTask: "20", dbPoolMaxPerTask: "20" }).dbPoolMinPerTask, 20);
        assert.deepStrictEqual(problemsOn("dbPoolMinPerTask", { dbPoolMinPerTask: "21", dbPoolMaxPerTask: "20" }), ["21: must not exceed dbPoolMaxPerTask (20)."]);
        assert.strictEqual(settingsWith({ replicas: "1", maxReplicas: "0", dbPoolMinPerTask: "1", dbMaxConnections: "50", dbReservedConnections: "48" }).dbReservedConnections, 48);
        assert.deepStrictEqual(problemsOn("dbReservedConnections", { dbMaxConnections: "50", dbReservedConnections: "50" }), ["50: must be below dbMaxConnections (50)."]);
    });

    it("integers: whole numbers only, no units, no exponent, within safe range", () => {
        for (const bad of ["4.0", "+4", "4 tasks", "1e3", "0x10", "99999999999999999999"]) {
            assert.match(problemsOn("replicas", { replicas: bad }).join(), /must be an integer from 1 to 1000/, bad);
        }
        assert.deepStrictEqual(problemsOn("replicas", { replicas: "4.0" }), ['"4.0": must be an integer from 1 to 1000 (whole number, no units).']);
        assert.deepStrictEqual(problemsOn("replicas", { replicas: "-1" }), ['"-1": must be an integer from 1 to 1000.']);
        assert.deepStrictEqual(problemsOn("maxReplicas", { maxReplicas: "x" }), ['"x": must be an integer from 1 to 1000 (or 0 for the default behaviour) (whole number, no units).']);
        assert.deepStrictEqual(problemsOn("replicas", { replicas: undefined }), ["(unset): an integer from 1 to 1000 is required; Pulumi.yaml should declare a default for it."]);
        assert.deepStrictEqual(problemsOn("replicas", { replicas: " " }), ['"": an integer from 1 to 1000 is required; Pulumi.yaml should declare a default for it.']);
    });

    it("log retention: exactly the periods CloudWatch Logs accepts (PutRetentionPolicy)", () => {
        const cloudWatch = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
        for (const days of cloudWatch) {
            assert.strictEqual(settingsWith({ logRetentionDays: String(days) }).logRetentionDays, days);
            for (const near of [days - 1, days + 1].filter((d) => !cloudWatch.includes(d))) {
                assert.ok(problemsOn("logRetentionDays", { logRetentionDays: String(near) }).length === 1, `${near} accepted`);
            }
        }
    });

    it("one-of keys match the value exactly and list what is allowed", () => {
        assert.strictEqual(settingsWith({ logRetentionDays: "3653" }).logRetentionDays, 3653);
        assert.deepStrictEqual(problemsOn("cacheEngine", { cacheEngine: "Redis" }), ['"Redis": must be one of redis, valkey.']);
        assert.deepStrictEqual(problemsOn("cacheEngine", { cacheEngine: undefined }), ["(unset): one of redis, valkey is required; Pulumi.yaml should declare a default for it."]);
        assert.deepStrictEqual(problemsOn("dbEngineVersion", { dbEngineVersion: "16.1" }), ['"16.1": must be one of 15, 16, 17.']);
    });

    it("names, paths and classes of the right shape only", () => {
        assert.strictEqual(settingsWith({ appPath: "app" }).appPath, "app");
        for (const bad of ["/app", "app/../app", "..", "app/..", "app dir", "app\\x"]) {
            assert.deepStrictEqual(problemsOn("appPath", { appPath: bad }), [`${JSON.stringify(bad)}: must be a relative path inside the project (no \`..\`, no leading \`/\`).`], bad);
        }
        assert.deepStrictEqual(problemsOn("appPath", { appPath: "web" }), ['"web": no Dockerfile at web/Dockerfile; point appPath at the folder holding the app\'s Dockerfile.']);
        for (const bad of ["db.t4g.medium.x", "xdb.t4g.medium", "db.t4g"]) {
            assert.match(problemsOn("dbInstanceClass", { dbInstanceClass: bad }).join(), /must be an RDS instance class such as db\.t4g\.medium\./, bad);
        }
        for (const bad of ["cache.t4g", "xcache.t4g.small", "cache.t4g.small.x"]) {
            assert.match(problemsOn("cacheNodeType", { cacheNodeType: bad }).join(), /must be an ElastiCache node type such as cache\.t4g\.small\./, bad);
        }
        assert.strictEqual(settingsWith({ cacheNodeType: "cache.t2.small", cacheMultiAz: "false" }).cacheNodeType, "cache.t2.small");
        assert.deepStrictEqual(problemsOn("dbMaxConnections", { dbInstanceClass: "db.x9.huge" }), [
            "(unset): webfleet has no safe max_connections for db.x9.huge; set dbMaxConnections explicitly (about memory in bytes / 9531392, at most 5000), or use a t3/t4g/m5–m8/r5–r8 class.",
        ]);
    });

    it("every key whose Pulumi.yaml default is 0 or empty is an optional key, and no other", () => {
        const declared = readProjectFile().config;
        const unsetByDefault = Object.keys(declared).filter((k) => declared[k].default === 0 || declared[k].default === "");
        assert.deepStrictEqual([...OPTIONAL_KEYS].sort(), unsetByDefault.sort());
    });

    it("a config with many problems lists each once, and no budget advice until the inputs are valid", () => {
        const problems = problemsWith({ replicas: "0", dbPoolMinPerTask: "500", dbPoolMaxPerTask: "500" });
        assert.deepStrictEqual(problems.map((p) => p.key), ["webfleet:replicas"], describeProblems(problems));
    });
});

describe("settings as the program reads them (lib/settings)", () => {
    it("the edge: prod-like, the domain with its zone by name or by id, plain-HTTP opt-out and access logs as given", () => {
        assert.deepStrictEqual(JSON.parse(JSON.stringify(settingsWith({ accessLogRetentionDays: "400" }).edge)), {
            prodLike: true,
            domain: { name: "gateway.example.com", zone: { kind: "name", name: "example.com" } },
            allowPlainHttp: false,
            accessLogs: { enabled: true, retentionDays: 400 },
        });
        assert.deepStrictEqual(settingsWith({ hostedZoneName: "", hostedZoneId: "Z0123456789ABCDEFGHIJ" }).edge.domain, { name: "gateway.example.com", zone: { kind: "id", id: "Z0123456789ABCDEFGHIJ" } });
        const plain = settingsWith({ domainName: "", hostedZoneName: "", allowPlainHttp: "true", accessLogs: "false", deletionProtection: "true" }).edge;
        assert.deepStrictEqual([plain.domain, plain.allowPlainHttp, plain.accessLogs.enabled, plain.prodLike], [undefined, true, false, true]);
        const cert = settingsWith({ domainName: "", hostedZoneName: "", certificateArn: CERT });
        assert.deepStrictEqual([cert.edge.domain, cert.certificateArn], [undefined, CERT]);
    });

    it("at most 10 alarm addresses: 10 are kept, 11 refused with the list as given", () => {
        const ten = Array.from({ length: 10 }, (_, i) => `o${i}@example.com`);
        assert.deepStrictEqual([...settingsWith({ alarmEmail: ten.join(",") }).alarmEmail], ten);
        const eleven = [...ten, "o10@example.com"];
        assert.deepStrictEqual(problemsOn("alarmEmail", { alarmEmail: eleven.join(", ") }), [`${JSON.stringify(eleven.join(","))}: must list at most 10 addresses.`]);
    });

    it("allowPlainHttp with TLS configured is refused as the boolean given, saying why", () => {
        assert.deepStrictEqual(problemsOn("allowPlainHttp", { allowPlainHttp: "true" }), [
            "true: TLS is configured (certificateArn or domainName), so HTTP redirects to HTTPS; remove allowPlainHttp.",
        ]);
    });

    it("subnets in both lists without vpcId: each list is refused for lacking vpcId, not also as an overlap", () => {
        const problems = problemsWith({ publicSubnetIds: "subnet-01234567,subnet-89abcdef", privateSubnetIds: "subnet-01234567,subnet-fedcba98" });
        assert.deepStrictEqual(problems.map((p) => p.key), ["webfleet:publicSubnetIds", "webfleet:privateSubnetIds"], describeProblems(problems));
        assert.ok(problems.every((p) => /only applies with vpcId/.test(p.allowed)));
    });

    it("the region is read trimmed; the certificate must be in it", () => {
        assert.strictEqual(settingsWith({ "aws:region": " us-east-1 " }).region, "us-east-1");
        assert.deepStrictEqual(problemsOn("certificateArn", { "aws:region": "eu-west-1", domainName: "", hostedZoneName: "", certificateArn: CERT }), [
            `${JSON.stringify(CERT)}: an ALB needs a certificate in its own region (eu-west-1), not us-east-1.`,
        ]);
    });

    it("the domain's zone: a zone key without domainName is refused for each key set, by name", () => {
        const problems = problemsWith({ domainName: "", hostedZoneName: "example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", allowPlainHttp: "true" });
        assert.deepStrictEqual(problems.map((p) => `${p.key} = ${p.given}: ${p.allowed}`), [
            'webfleet:hostedZoneId = "Z0123456789ABCDEFGHIJ": only applies with domainName; set domainName too, or leave this empty.',
            'webfleet:hostedZoneName = "example.com": only applies with domainName; set domainName too, or leave this empty.',
        ]);
        assert.deepStrictEqual(problemsOn("hostedZoneId", { hostedZoneId: "Z0123456789ABCDEFGHIJ" }), ['"Z0123456789ABCDEFGHIJ": set hostedZoneId or hostedZoneName, not both.']);
        assert.deepStrictEqual(problemsOn("hostedZoneName", { hostedZoneName: "" }), [
            "(unset): domainName needs the Route 53 public hosted zone that holds it: set hostedZoneName (looked up by name) or hostedZoneId.",
        ]);
    });

    it("suggests the key a short typo meant, comparing the key without its namespace", () => {
        // "cpus" is one edit from "cpu"; ":cpus" or "pus" would be two, too far for a 3-letter key.
        assert.deepStrictEqual(undeclaredKeyProblems({ "webfleet:cpus": "512" }).map((p) => p.allowed), [
            "uses a configuration value which is not defined by the project configuration (Pulumi.yaml); did you mean 'webfleet:cpu'?",
        ]);
    });
});
