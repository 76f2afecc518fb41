import * as assert from "assert";
import * as fc from "fast-check";
import { propertyRuns } from "../support/property-runs";
import { isValidFargateSize } from "../../lib/fargate";
import { ConfigError, formatProblems } from "../../lib/problems";
import { parseSettings, PROJECT_KEYS, RawConfig } from "../../lib/settings";
import { loadStackConfig } from "../support/stack-config";

/** Raw config as config.ts would read it for a stack: short keys plus aws:region. */
function rawFor(stack: string, overrides: Record<string, string | undefined> = {}): RawConfig {
    const cli = loadStackConfig(stack);
    const raw: Record<string, string | undefined> = { "aws:region": cli["aws:region"] };
    for (const key of PROJECT_KEYS) {
        raw[key] = cli[`webfleet:${key}`];
    }
    return { ...raw, ...overrides };
}

const withDockerfile = { dockerfileExists: (p: string) => p === "app" };

function problemsFor(overrides: Record<string, string | undefined>, stack = "prod"): string[] {
    const result = parseSettings(rawFor(stack, overrides), withDockerfile);
    return result.ok ? [] : result.problems.map((p) => `${p.key} = ${p.given}: ${p.allowed}`);
}

describe("config validation (lib/settings)", () => {
    it("the dev and prod stack files are valid as the CLI would pass them", () => {
        for (const stack of ["dev", "prod"]) {
            const result = parseSettings(rawFor(stack), withDockerfile);
            assert.ok(result.ok, result.ok ? "" : formatProblems(result.problems));
        }
    });

    it("returns frozen settings", () => {
        const result = parseSettings(rawFor("prod"), withDockerfile);
        assert.ok(result.ok);
        if (!result.ok) return;
        assert.ok(Object.isFrozen(result.settings) && Object.isFrozen(result.settings.db) && Object.isFrozen(result.settings.capacity));
        assert.strictEqual(result.settings.autoscaling, true);
        assert.strictEqual(result.settings.maxReplicas, 8);
    });

    it("maxReplicas 0 (the default) means equal to replicas: autoscaling off", () => {
        const result = parseSettings(rawFor("prod", { maxReplicas: "0" }), withDockerfile);
        assert.ok(result.ok && result.settings.maxReplicas === 4 && !result.settings.autoscaling);
    });

    // Each bad value must be reported against its key, with the value given and what is allowed.
    const table: Array<[string, Record<string, string | undefined>, string, RegExp]> = [
        ["replicas 0", { replicas: "0" }, "webfleet:replicas", /integer from 1 to 1000/],
        ["replicas negative", { replicas: "-2" }, "webfleet:replicas", /integer from 1/],
        ["replicas fractional", { replicas: "2.5" }, "webfleet:replicas", /whole number/],
        ["replicas not a number", { replicas: "four" }, "webfleet:replicas", /integer/],
        ["replicas missing", { replicas: undefined }, "webfleet:replicas", /required/],
        ["maxReplicas below replicas", { maxReplicas: "2" }, "webfleet:maxReplicas", /at least replicas \(4\)/],
        ["maxReplicas not a number", { maxReplicas: "lots" }, "webfleet:maxReplicas", /integer/],
        ["deploy percent 100 (no room to deploy)", { deploymentMaximumPercent: "100" }, "webfleet:deploymentMaximumPercent", /101 to 200/],
        ["deploy percent 250", { deploymentMaximumPercent: "250" }, "webfleet:deploymentMaximumPercent", /101 to 200/],
        ["deploy percent too small to start one task", { replicas: "1", maxReplicas: "0", deploymentMaximumPercent: "150" }, "webfleet:deploymentMaximumPercent", /at least 200/],
        ["cpu Fargate does not offer", { cpu: "1000" }, "webfleet:cpu", /one of 256, 512, 1024/],
        ["memory not offered for the cpu", { cpu: "1024", memory: "1024" }, "webfleet:memory", /2048–8192 in steps of 1024/],
        ["cpuArchitecture lower-case", { cpuArchitecture: "arm64" }, "webfleet:cpuArchitecture", /X86_64, ARM64/],
        ["unknown instance class without dbMaxConnections", { dbInstanceClass: "db.x9.huge" }, "webfleet:dbMaxConnections", /set dbMaxConnections explicitly/],
        ["instance class of the wrong shape", { dbInstanceClass: "t4g.medium" }, "webfleet:dbInstanceClass", /db\.t4g\.medium/],
        ["dbMaxConnections too low", { dbMaxConnections: "5" }, "webfleet:dbMaxConnections", /10 to 262143/],
        ["reserved below the superuser slots", { dbReservedConnections: "2" }, "webfleet:dbReservedConnections", /3 to/],
        ["reserved ≥ max_connections", { dbMaxConnections: "50", dbReservedConnections: "60" }, "webfleet:dbReservedConnections", /below dbMaxConnections \(50\)/],
        ["pool min above pool max", { dbPoolMinPerTask: "60", dbPoolMaxPerTask: "50" }, "webfleet:dbPoolMinPerTask", /must not exceed dbPoolMaxPerTask/],
        ["certificate ARN of the wrong shape", { certificateArn: "arn:aws:iam::123:cert/x" }, "webfleet:certificateArn", /ACM certificate ARN/],
        [
            "certificate in another region",
            { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" },
            "webfleet:certificateArn",
            /own region \(us-east-1\)/,
        ],
        ["appPath without a Dockerfile", { appPath: "web" }, "webfleet:appPath", /no Dockerfile at web\/Dockerfile/],
        ["appPath escaping the project", { appPath: "../other" }, "webfleet:appPath", /relative path inside the project/],
        ["region malformed", { "aws:region": "US East" }, "aws:region", /AWS region/],
        ["region unset", { "aws:region": undefined }, "aws:region", /pulumi config set aws:region/],
        ["log retention CloudWatch refuses", { logRetentionDays: "10" }, "webfleet:logRetentionDays", /one of 1, 3, 5, 7, 14/],
        ["boolean misspelt", { dbMultiAz: "yes" }, "webfleet:dbMultiAz", /true or false/],
        ["one AZ", { azCount: "1" }, "webfleet:azCount", /2 to 6/],
        ["cache engine unknown", { cacheEngine: "memcached" }, "webfleet:cacheEngine", /redis, valkey/],
        ["T2 cache with failover", { cacheNodeType: "cache.t2.small" }, "webfleet:cacheNodeType", /T2 nodes/],
        ["backups off", { dbBackupRetentionDays: "0" }, "webfleet:dbBackupRetentionDays", /1 to 35/],
        ["postgres version unknown", { dbEngineVersion: "14" }, "webfleet:dbEngineVersion", /15, 16, 17/],
        ["a VPC id of the wrong shape", { vpcId: "vpc-xyz" }, "webfleet:vpcId", /vpc-0123456789abcdef0/],
        ["vpcId with one public subnet", { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: "subnet-0123456789abcdef0", privateSubnetIds: "subnet-01234567,subnet-89abcdef" }, "webfleet:publicSubnetIds", /at least 2 subnets/],
        ["vpcId without private subnets", { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: "subnet-01234567,subnet-89abcdef" }, "webfleet:privateSubnetIds", /at least 2 subnets/],
        ["subnets without vpcId", { privateSubnetIds: "subnet-01234567,subnet-89abcdef" }, "webfleet:privateSubnetIds", /only applies with vpcId/],
        ["a malformed subnet id", { vpcId: "vpc-01234567", publicSubnetIds: "subnet-01234567,sn-2", privateSubnetIds: "subnet-11234567,subnet-21234567" }, "webfleet:publicSubnetIds", /not: "sn-2"/],
        ["a subnet listed as public and private", { vpcId: "vpc-01234567", publicSubnetIds: "subnet-01234567,subnet-11234567", privateSubnetIds: "subnet-11234567,subnet-21234567" }, "webfleet:privateSubnetIds", /must not repeat a public subnet/],
        ["the seed's budget: 500 per task", { dbPoolMinPerTask: "500", dbPoolMaxPerTask: "500", maxReplicas: "0" }, "webfleet:dbMaxConnections", /does not fit: peak tasks 8 .* = 4010 connections, but dbMaxConnections is 410/],
        ["a budget that cannot fit 8 replicas", { dbPoolMinPerTask: "30" }, "webfleet:maxReplicas", /lower to at most 6/],
    ];
    for (const [what, overrides, key, allowed] of table) {
        it(`rejects ${what}, naming ${key}`, () => {
            const problems = problemsFor(overrides);
            const mine = problems.filter((p) => p.startsWith(`${key} = `));
            assert.ok(mine.length > 0, `no problem for ${key}; got:\n${problems.join("\n")}`);
            assert.ok(mine.some((p) => allowed.test(p)), `${key} message does not say ${allowed}:\n${mine.join("\n")}`);
        });
    }

    it("reports every bad key at once, with the value given", () => {
        const problems = problemsFor({ replicas: "0", cpu: "3", cpuArchitecture: "mips", logRetentionDays: "2" });
        const keys = problems.map((p) => p.split(" = ")[0]);
        assert.deepStrictEqual(keys.sort(), ["webfleet:cpu", "webfleet:cpuArchitecture", "webfleet:logRetentionDays", "webfleet:replicas"]);
        assert.ok(problems.some((p) => p.startsWith('webfleet:cpuArchitecture = "mips"')));
    });

    it("property: any values for any keys give settings or a list of problems on known keys, never a crash", () => {
        const keys = ["aws:region", ...PROJECT_KEYS];
        const value = fc.oneof(
            fc.string(),
            fc.integer({ min: -10, max: 300000 }).map(String),
            fc.constantFrom("", "0", "1", "true", "false", "2.5", "1e3", " 4 ", "NaN", "db.t4g.medium", "X86_64", "app"),
        );
        fc.assert(
            fc.property(fc.dictionary(fc.constantFrom(...keys), fc.option(value, { nil: undefined })), (changes) => {
                const result = parseSettings(rawFor("prod", changes), withDockerfile);
                if (!result.ok) {
                    return result.problems.length > 0 && result.problems.every((p) => keys.some((k) => p.key === k || p.key === `webfleet:${k}`) && p.allowed.length > 10);
                }
                const st = result.settings;
                const c = st.capacity;
                return (
                    isValidFargateSize(st.cpu, st.memory) &&
                    st.maxReplicas >= st.replicas &&
                    c.peakTasks * c.poolPerTask + c.dbReservedConnections <= c.dbMaxConnections &&
                    c.poolPerTask >= st.db.poolMinPerTask &&
                    Math.floor((st.replicas * st.deploymentMaximumPercent) / 100) > st.replicas
                );
            }),
            { numRuns: propertyRuns(3000) },
        );
    });

    it("formats one message that a preview prints as is", () => {
        const result = parseSettings(rawFor("prod", { replicas: "0", memory: "3" }), withDockerfile);
        assert.ok(!result.ok);
        if (result.ok) return;
        const message = new ConfigError(result.problems, "prod").message;
        assert.match(message, /^webfleet configuration has 2 problems for stack "prod":/);
        assert.match(message, /\n  - webfleet:replicas = "0": /);
        assert.match(message, /pulumi config set/);
    });
});
