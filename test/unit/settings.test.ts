import * as assert from "assert";
import * as fc from "fast-check";
import { propertyRuns } from "../support/property-runs";
import { isValidFargateSize } from "../../lib/fargate";
import { planCapacity } from "../../lib/capacity";
import { ConfigError, ConfigProblem, formatProblems } from "../../lib/problems";
import { parseSettings, PROJECT_KEYS, RawConfig, rawConfigFrom, Settings, undeclaredKeyProblems } from "../../lib/settings";
import { loadStackConfig } from "../../tools/mock-runner/stack-config";

/** Raw config as config.ts would read it for a stack: short keys plus aws:region. */
const loaded = new Map<string, Readonly<Record<string, string>>>();
function rawFor(stack: string, overrides: Record<string, string | undefined> = {}): RawConfig {
    // Read each stack file once: property tests call this thousands of times.
    const cli = loaded.get(stack) ?? loadStackConfig(stack);
    loaded.set(stack, cli);
    return { ...rawConfigFrom(cli), ...overrides };
}

const withDockerfile = { dockerfileExists: (p: string) => p === "app" };

/** What config.ts would report: the settings' problems, or else the budget's (checked after them). */
function problemsFor(overrides: Record<string, string | undefined>, stack = "prod"): string[] {
    const result = parseSettings(rawFor(stack, overrides), withDockerfile);
    const problems = result.ok ? planProblems(result.settings) : result.problems;
    return problems.map((p) => `${p.key} = ${p.given}: ${p.allowed}`);
}

function planProblems(settings: Settings): readonly ConfigProblem[] {
    const plan = planCapacity(settings);
    return plan.ok ? [] : plan.problems;
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
        assert.ok(Object.isFrozen(result.settings) && Object.isFrozen(result.settings.publicSubnetIds));
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
        ["prod (prod-like) without TLS", { domainName: "", hostedZoneName: "" }, "webfleet:domainName", /prod-like \(deletionProtection: true\).*hostedZoneName \(or hostedZoneId\).*certificateArn.*allowPlainHttp: true/],
        ["domainName without its hosted zone", { hostedZoneName: "" }, "webfleet:hostedZoneName", /set hostedZoneName \(looked up by name\) or hostedZoneId/],
        ["both hosted-zone keys", { hostedZoneId: "Z0123456789ABCDEFGHIJ" }, "webfleet:hostedZoneId", /not both/],
        ["domainName outside the hosted zone", { domainName: "api.acme.io" }, "webfleet:hostedZoneName", /api\.acme\.io is not in this zone/],
        ["a hosted zone without domainName", { domainName: "", hostedZoneName: "", hostedZoneId: "Z0123456789ABCDEFGHIJ", allowPlainHttp: "true" }, "webfleet:hostedZoneId", /only applies with domainName/],
        ["a wildcard domainName", { domainName: "*.example.com" }, "webfleet:domainName", /lower-case DNS name .*no wildcard/],
        ["a hosted zone id of the wrong shape", { hostedZoneName: "", hostedZoneId: "/hostedzone/Z0123" }, "webfleet:hostedZoneId", /Z0123456789ABCDEFGHIJ/],
        ["allowPlainHttp with TLS configured", { allowPlainHttp: "true" }, "webfleet:allowPlainHttp", /remove allowPlainHttp/],
        ["access-log retention 0 days", { accessLogRetentionDays: "0" }, "webfleet:accessLogRetentionDays", /1 to 3650/],
        ["accessLogs misspelt", { accessLogs: "on" }, "webfleet:accessLogs", /true or false/],
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
        ["alarmEmail without a domain", { alarmEmail: "ops" }, "webfleet:alarmEmail", /e-mail addresses like ops@example.com.*not: "ops"/],
        ["alarmEmail with a space", { alarmEmail: "ops team@example.com" }, "webfleet:alarmEmail", /not: "ops team@example.com"/],
        ["alarmEmail separated by semicolons", { alarmEmail: "a@example.com;b@example.com" }, "webfleet:alarmEmail", /comma-separated/],
        ["alarmEmail listed twice", { alarmEmail: "a@example.com, a@example.com" }, "webfleet:alarmEmail", /lists a@example.com twice/],
        ["alarmEmail, 11 addresses", { alarmEmail: Array.from({ length: 11 }, (_, i) => `o${i}@example.com`).join(",") }, "webfleet:alarmEmail", /at most 10/],
    ];

    it("alarmEmail: empty subscribes nobody; one or more addresses are kept, trimmed", () => {
        const none = parseSettings(rawFor("prod"), withDockerfile);
        assert.ok(none.ok && none.settings.alarmEmail.length === 0);
        const two = parseSettings(rawFor("prod", { alarmEmail: "ops@example.com, on-call+web@team.example.org" }), withDockerfile);
        assert.ok(two.ok);
        if (two.ok) assert.deepStrictEqual(two.settings.alarmEmail, ["ops@example.com", "on-call+web@team.example.org"]);
    });
    for (const [what, overrides, key, allowed] of table) {
        it(`rejects ${what}, naming ${key}`, () => {
            const problems = problemsFor(overrides);
            const mine = problems.filter((p) => p.startsWith(`${key} = `));
            assert.ok(mine.length > 0, `no problem for ${key}; got:\n${problems.join("\n")}`);
            assert.ok(mine.some((p) => allowed.test(p)), `${key} message does not say ${allowed}:\n${mine.join("\n")}`);
        });
    }

    it("HTTPS in a prod-like stack: a domain, a certificate, or the explicit opt-out each satisfy it", () => {
        const cert = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
        const ways: Array<Record<string, string>> = [
            {},
            { domainName: "", hostedZoneName: "", certificateArn: cert },
            { hostedZoneName: "", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
            { certificateArn: cert },
            { domainName: "", hostedZoneName: "", allowPlainHttp: "true" },
        ];
        for (const overrides of ways) {
            const result = parseSettings(rawFor("prod", overrides), withDockerfile);
            assert.ok(result.ok, `${JSON.stringify(overrides)}: ${result.ok ? "" : formatProblems(result.problems)}`);
        }
        const dev = parseSettings(rawFor("dev"), withDockerfile);
        assert.ok(dev.ok && !dev.settings.edge.prodLike && dev.settings.edge.domain === undefined && !dev.settings.edge.accessLogs.enabled);
    });

    it("a malformed certificateArn in prod is one problem, not also 'TLS missing'", () => {
        const problems = problemsFor({ domainName: "", hostedZoneName: "", certificateArn: "nope" });
        assert.deepStrictEqual(problems.map((p) => p.split(" = ")[0]), ["webfleet:certificateArn"]);
    });

    it("refuses project keys the program does not read (a typo in a stack file is never ignored), with a suggestion", () => {
        const problems = undeclaredKeyProblems({ "webfleet:replica": "6", "webfleet:replicas": "4", "webfleet:foo": "1", "aws:region": "us-east-1", "aws:profile": "p" });
        assert.deepStrictEqual(problems, [
            { key: "webfleet:foo", given: '"1"', allowed: "uses a configuration value which is not defined by the project configuration (Pulumi.yaml)" },
            {
                key: "webfleet:replica",
                given: '"6"',
                allowed: "uses a configuration value which is not defined by the project configuration (Pulumi.yaml); did you mean 'webfleet:replicas'?",
            },
        ]);
        assert.deepStrictEqual(undeclaredKeyProblems(Object.fromEntries(PROJECT_KEYS.map((k) => [`webfleet:${k}`, "1"]))), []);
    });

    it("reads the project's keys and aws:region from config as the CLI passes it, nothing else", () => {
        const raw = rawConfigFrom({ "webfleet:replicas": "6", "aws:region": "eu-west-1", "other:replicas": "9", replicas: "7" });
        assert.strictEqual(raw["replicas"], "6");
        assert.strictEqual(raw["aws:region"], "eu-west-1");
        assert.deepStrictEqual(Object.keys(raw).sort(), ["aws:region", ...PROJECT_KEYS].sort());
        assert.strictEqual(raw["maxReplicas"], undefined);
    });

    it("reports every bad key at once, with the value given", () => {
        const problems = problemsFor({ replicas: "0", cpu: "3", cpuArchitecture: "mips", logRetentionDays: "2" });
        const keys = problems.map((p) => p.split(" = ")[0]);
        assert.deepStrictEqual(keys.sort(), ["webfleet:cpu", "webfleet:cpuArchitecture", "webfleet:logRetentionDays", "webfleet:replicas"]);
        assert.ok(problems.some((p) => p.startsWith('webfleet:cpuArchitecture = "mips"')));
    });

    it("property: any values for any keys give settings or a list of problems on known keys, never a crash", function () {
        this.timeout(300_000); // a count of runs, not a time budget: slow on a busy machine, same verdict
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
                const planned = planCapacity(st);
                if (!planned.ok) {
                    return planned.problems.length > 0 && planned.problems.every((p) => keys.some((k) => p.key === `webfleet:${k}`));
                }
                const c = planned.plan;
                return (
                    isValidFargateSize(st.cpu, st.memory) &&
                    st.maxReplicas >= st.replicas &&
                    c.peakTasks * c.poolPerTask + c.dbReservedConnections <= c.dbMaxConnections &&
                    c.poolPerTask >= st.dbPoolMinPerTask &&
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
