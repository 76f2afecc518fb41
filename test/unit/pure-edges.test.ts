/**
 * The smaller pure modules at their edges, from the mutation survivors of issue 16
 * (docs/MUTATION.md): exact messages, exact bounds, exact names.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { APP_PORT, HEALTH_CHECK_PATH } from "../../lib/app-contract";
import { sourceHash } from "../../lib/app-version";
import { instanceMemoryGib, knownInstanceClasses, safeMaxConnections } from "../../lib/db-instance-classes";
import { memoryOptions } from "../../lib/fargate";
import { autonameFits, databaseName, isValidAwsIdentifier, MAX_PREFIX_LENGTH, NAME_LIMITS, resourcePrefix } from "../../lib/names";
import { ConfigError, formatProblems, problem, qualify, render } from "../../lib/problems";
import { checkShutdownTiming, MAX_STOP_TIMEOUT_SECONDS, SHUTDOWN } from "../../lib/shutdown";
import { cidrRange, formatCidr, parseCidr, planSubnets } from "../../lib/subnets";
import { PROJECT_ROOT } from "../../tools/mock-runner/stack-config";

describe("problems (lib/problems)", () => {
    it("renders given values so that unset, a string and a number read differently", () => {
        assert.strictEqual(render(undefined), "(unset)");
        assert.strictEqual(render("4"), '"4"');
        assert.strictEqual(render(4), "4");
        assert.strictEqual(render(null), "null");
        assert.strictEqual(render(Number.NaN), "NaN");
        assert.deepStrictEqual(problem("replicas", "x", "y"), { key: "webfleet:replicas", given: '"x"', allowed: "y" });
        assert.strictEqual(problem("aws:region", undefined, "y").key, "aws:region");
    });

    it("qualifies a key with this project's name, or another project's (the stack loader reads it from Pulumi.yaml)", () => {
        assert.strictEqual(qualify("replicas"), "webfleet:replicas");
        assert.strictEqual(qualify("replicas", "other"), "other:replicas");
        assert.strictEqual(qualify("aws:region", "other"), "aws:region");
    });

    it("formats one problem, with and without a stack", () => {
        const one = [problem("replicas", "0", "must be at least 1.")];
        assert.strictEqual(
            formatProblems(one),
            'webfleet configuration has 1 problem:\n  - webfleet:replicas = "0": must be at least 1.\nFix these with `pulumi config set <key> <value>` or by editing Pulumi.<stack>.yaml.',
        );
        const error = new ConfigError(one, "dev");
        assert.strictEqual(error.name, "ConfigError");
        assert.ok(error.message.startsWith('webfleet configuration has 1 problem for stack "dev":\n'));
        assert.strictEqual(error.problems, one);
    });
});

describe("shutdown timing at the edges (lib/shutdown)", () => {
    const check = (change: Partial<typeof SHUTDOWN>): string[] => checkShutdownTiming({ ...SHUTDOWN, ...change });

    it("stop timeout: 2 s and 120 s accepted, 1 s and 121 s refused", () => {
        assert.deepStrictEqual(check({ stopTimeoutSeconds: 2, appShutdownMs: 1999, deregistrationDelaySeconds: 2 }), []);
        assert.deepStrictEqual(check({ stopTimeoutSeconds: MAX_STOP_TIMEOUT_SECONDS }), []);
        assert.strictEqual(MAX_STOP_TIMEOUT_SECONDS, 120);
        assert.deepStrictEqual(check({ stopTimeoutSeconds: 1, appShutdownMs: 500, deregistrationDelaySeconds: 1 }), ["stopTimeout 1s must be 2–120s"]);
        assert.deepStrictEqual(check({ stopTimeoutSeconds: 121 }), ["stopTimeout 121s must be 2–120s"]);
    });

    it("the app must exit strictly before SIGKILL; the ALB may drain as long as the stop timeout", () => {
        assert.deepStrictEqual(check({ appShutdownMs: 29_999 }), []);
        assert.deepStrictEqual(check({ appShutdownMs: 30_000 }), ["the app's shutdown bound 30000ms must end before SIGKILL at 30s"]);
        assert.deepStrictEqual(check({ deregistrationDelaySeconds: 30 }), []);
        assert.deepStrictEqual(check({ deregistrationDelaySeconds: 31 }), ["deregistration delay 31s exceeds stopTimeout 30s: the ALB could still route to a killed task"]);
    });

    it("deregistration delay: 0–3600 s", () => {
        assert.deepStrictEqual(check({ deregistrationDelaySeconds: 0 }), []);
        assert.deepStrictEqual(check({ deregistrationDelaySeconds: -1 }), ["deregistration delay must be 0–3600s"]);
        assert.deepStrictEqual(checkShutdownTiming({ stopTimeoutSeconds: 3600, appShutdownMs: 1000, deregistrationDelaySeconds: 3600 }), ["stopTimeout 3600s must be 2–120s"]);
        assert.deepStrictEqual(checkShutdownTiming({ stopTimeoutSeconds: 3601, appShutdownMs: 1000, deregistrationDelaySeconds: 3601 }), [
            "stopTimeout 3601s must be 2–120s",
            "deregistration delay must be 0–3600s",
        ]);
    });
});

describe("names at the edges (lib/names)", () => {
    it("keeps <project>-<stack> when it is exactly the longest prefix allowed", () => {
        assert.strictEqual(MAX_PREFIX_LENGTH, 16);
        assert.strictEqual(resourcePrefix("webfleet", "abcdefg"), "webfleet-abcdefg");
        assert.strictEqual(resourcePrefix("webfleet", "prod"), "webfleet-prod");
    });

    it("cuts a long stack name and adds 4 hex chars of sha256(project/stack)", () => {
        assert.strictEqual(resourcePrefix("webfleet", "a".repeat(40)), "aaaaaaaaaaa-a3fd");
        assert.match(resourcePrefix("webfleet", "abcdefgh"), /^abcdefgh-[0-9a-f]{4}$/);
        // The cut never leaves a hyphen before the hash, and a name of symbols still starts with a letter.
        assert.match(resourcePrefix("webfleet", "abcdefghij-klmnopqrst"), /^abcdefghij-[0-9a-f]{4}$/);
        assert.strictEqual(resourcePrefix("", "__"), "wf");
    });

    it("collapses runs of other characters into one hyphen and starts with a letter", () => {
        assert.strictEqual(resourcePrefix("web", "a--b"), "web-a-b");
        assert.strictEqual(resourcePrefix("web", "A__B..c"), "web-a-b-c");
        assert.strictEqual(resourcePrefix("9lives", "x"), "wf-9lives-x");
    });

    it("autoname budget: logical name + 8 chars within the AWS limit", () => {
        assert.ok(autonameFits("aws:lb/loadBalancer:LoadBalancer", "x".repeat(24)));
        assert.ok(!autonameFits("aws:lb/loadBalancer:LoadBalancer", "x".repeat(25)));
        assert.ok(autonameFits("aws:unknown/type:Type", "x".repeat(500)));
    });

    it("autoname budgets use AWS's name limits, each at its edge", () => {
        // AWS limits per resource type (ELBv2, ElastiCache, RDS, ECS, IAM, ECR, EC2, Secrets Manager, CloudWatch docs).
        const aws: Record<string, number> = {
            "aws:lb/loadBalancer:LoadBalancer": 32,
            "aws:lb/targetGroup:TargetGroup": 32,
            "aws:elasticache/replicationGroup:ReplicationGroup": 40,
            "aws:elasticache/subnetGroup:SubnetGroup": 255,
            "aws:rds/instance:Instance": 63,
            "aws:rds/parameterGroup:ParameterGroup": 255,
            "aws:rds/subnetGroup:SubnetGroup": 255,
            "aws:ecs/cluster:Cluster": 255,
            "aws:ecs/service:Service": 255,
            "aws:iam/role:Role": 64,
            "aws:ecr/repository:Repository": 256,
            "aws:ec2/securityGroup:SecurityGroup": 255,
            "aws:secretsmanager/secret:Secret": 512,
            "aws:cloudwatch/metricAlarm:MetricAlarm": 255,
            "aws:s3/bucket:Bucket": 63,
        };
        for (const [type, limit] of Object.entries(aws)) {
            assert.ok(autonameFits(type, "x".repeat(limit - 8)), type);
            assert.ok(!autonameFits(type, "x".repeat(limit - 7)), type);
        }
        assert.deepStrictEqual(Object.keys(NAME_LIMITS).sort(), Object.keys(aws).sort());
    });

    it("identifiers of one character are valid; database names use underscores, at most 63", () => {
        assert.ok(isValidAwsIdentifier("a", 63));
        assert.ok(isValidAwsIdentifier("a".repeat(63), 63));
        assert.strictEqual(databaseName("webfleet-prod"), "webfleet_prod");
        assert.strictEqual(databaseName("a".repeat(70)), "a".repeat(63));
    });
});

describe("subnets and CIDRs at the edges (lib/subnets)", () => {
    it("parses only whole dotted-quad CIDRs with octets ≤ 255 and prefix ≤ 32", () => {
        assert.deepStrictEqual(parseCidr("255.255.255.255/32"), { base: 0xffffffff, prefix: 32 });
        assert.deepStrictEqual(parseCidr("10.1.2.3/8"), { base: (10 << 24) + (1 << 16) + (2 << 8) + 3, prefix: 8 });
        assert.deepStrictEqual(parseCidr("100.200.150.250/16"), { base: ((100 << 24) >>> 0) + (200 << 16) + (150 << 8) + 250, prefix: 16 });
        for (const bad of ["256.0.0.0/8", "10.0.0.256/24", "10.0.0.0/33", "x10.0.0.0/16", "10.0.0.0/16x", "10.0.0/16"]) {
            assert.throws(() => parseCidr(bad), new RegExp(`not an IPv4 CIDR: ${bad.replace(/[./]/g, "\\$&")}`), bad);
        }
    });

    it("formats every octet back, odd and high ones included, and lays out at most 6 AZs", () => {
        for (const cidr of ["10.201.3.5/32", "255.255.255.255/32", "1.129.255.7/8"]) {
            const { base, prefix } = parseCidr(cidr);
            assert.strictEqual(formatCidr(base, prefix), cidr);
        }
        assert.strictEqual(planSubnets(6).privateCidrs.length, 6);
        assert.throws(() => planSubnets(7), /azCount must be an integer from 1 to 6, got 7/);
    });

    it("gives the first and last address of a range", () => {
        assert.deepStrictEqual(cidrRange("10.0.0.0/24"), [(10 << 24) >>> 0, ((10 << 24) >>> 0) + 255]);
        assert.deepStrictEqual(cidrRange("10.0.0.7/32"), [((10 << 24) >>> 0) + 7, ((10 << 24) >>> 0) + 7]);
        assert.strictEqual(formatCidr(parseCidr("10.0.32.0/19").base, 19), "10.0.32.0/19");
    });
});

describe("RDS classes and Fargate sizes at the edges", () => {
    it("knows classes only in their exact form", () => {
        assert.strictEqual(instanceMemoryGib("db.t4g.medium"), 4);
        assert.strictEqual(instanceMemoryGib("xdb.t4g.medium"), undefined);
        assert.strictEqual(instanceMemoryGib("db.t4g.medium.extra"), undefined);
        assert.strictEqual(safeMaxConnections("db.t4g.medium"), 410);
        const classes = knownInstanceClasses();
        assert.ok(classes.includes("db.t4g.micro") && classes.includes("db.r8g.large"), classes.join());
        assert.ok(classes.every((c) => safeMaxConnections(c) !== undefined));
    });

    it("knows each size's nominal memory (GiB), per family", () => {
        const t = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
        const m = { large: 8, xlarge: 16, "2xlarge": 32, "4xlarge": 64, "8xlarge": 128, "12xlarge": 192, "16xlarge": 256 };
        const r = { large: 16, xlarge: 32, "2xlarge": 64, "4xlarge": 128, "8xlarge": 256, "12xlarge": 384, "16xlarge": 512 };
        for (const [families, sizes] of [[["t3", "t4g"], t], [["m5", "m6g", "m6i", "m7g", "m7i", "m8g"], m], [["r5", "r6g", "r6i", "r7g", "r7i", "r8g"], r]] as const) {
            for (const family of families) {
                for (const [size, gib] of Object.entries(sizes)) {
                    assert.strictEqual(instanceMemoryGib(`db.${family}.${size}`), gib, `db.${family}.${size}`);
                }
            }
        }
        assert.strictEqual(knownInstanceClasses().length, 2 * 6 + 6 * 7 + 6 * 7);
    });

    it("offers no memory for a CPU value Fargate does not have", () => {
        assert.deepStrictEqual(memoryOptions(3), []);
    });
});

describe("app contract and version (lib/app-contract, lib/app-version)", () => {
    it("the ALB checks the path the app serves its liveness on", () => {
        assert.strictEqual(HEALTH_CHECK_PATH, "/api/health");
        assert.ok(fs.existsSync(path.join(PROJECT_ROOT, "app", "app", HEALTH_CHECK_PATH, "route.ts")));
    });

    it("the program's container port is the one the image exposes and listens on", () => {
        const dockerfile = fs.readFileSync(path.join(PROJECT_ROOT, "app", "Dockerfile"), "utf8");
        assert.match(dockerfile, new RegExp(`^EXPOSE ${APP_PORT}$`, "m"));
        assert.match(dockerfile, new RegExp(`^ENV PORT=${APP_PORT}\\b`, "m"));
    });

    it("the app version hashes every source file's path and content, and skips dependencies and build output", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webfleet-version-"));
        try {
            fs.mkdirSync(path.join(dir, "src"));
            fs.writeFileSync(path.join(dir, "src", "a.ts"), "one");
            fs.writeFileSync(path.join(dir, "b.txt"), "two");
            // What the build context leaves out (issue 8: the hash covers only what the image gets).
            fs.writeFileSync(path.join(dir, ".dockerignore"), ".turbo\ncoverage\n");
            const first = sourceHash(dir);
            assert.match(first, /^[0-9a-f]{12}$/);
            assert.strictEqual(sourceHash(dir), first, "same tree, same hash");
            for (const skipped of ["node_modules", ".next", ".git", ".turbo", "coverage"]) {
                fs.mkdirSync(path.join(dir, skipped));
                fs.writeFileSync(path.join(dir, skipped, "x.js"), skipped);
                assert.strictEqual(sourceHash(dir), first, `${skipped} must not change the version`);
            }
            // A symbolic link is not followed (Docker copies the link, not its target).
            fs.symlinkSync(path.join(dir, "b.txt"), path.join(dir, "link"));
            assert.strictEqual(sourceHash(dir), first, "a symlink must not change the version");
            fs.writeFileSync(path.join(dir, "src", "a.ts"), "ONE");
            const edited = sourceHash(dir);
            assert.notStrictEqual(edited, first, "content counts");
            fs.renameSync(path.join(dir, "src", "a.ts"), path.join(dir, "src", "c.ts"));
            assert.notStrictEqual(sourceHash(dir), edited, "names count");
            // The exact scheme (walk order, separators, .dockerignore rules) is pinned in app-version.test.ts.
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
