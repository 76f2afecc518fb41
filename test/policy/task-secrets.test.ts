import * as assert from "assert";
import { noSecretsInTaskEnvironment } from "../../policy/policies";
import { secretReason } from "../../policy/task-secrets";
import { checkResource, messages } from "./fakes";

const TASK = "aws:ecs/taskDefinition:TaskDefinition";

function task(environment: { name: string; value: string }[], secrets: { name: string; valueFrom: string }[] = []): Record<string, unknown> {
    return { family: "web", containerDefinitions: JSON.stringify([{ name: "web", environment, secrets }]) };
}

describe("policy no-secrets-in-task-environment", () => {
    it("passes plain settings and secrets passed through `secrets`", async () => {
        const props = task(
            [
                { name: "DB_POOL_MAX", value: "33" },
                { name: "HOSTNAME", value: "0.0.0.0" },
                { name: "REDIS_URL", value: "rediss://cache.example.internal:6379" },
                { name: "CACHE_KEY_PREFIX", value: "web" },
            ],
            [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:123:secret:db" }],
        );
        assert.deepStrictEqual(messages(await checkResource(noSecretsInTaskEnvironment, TASK, props)), []);
    });

    it("fails a password in the plain environment, naming the container and the fix", async () => {
        const found = messages(await checkResource(noSecretsInTaskEnvironment, TASK, task([{ name: "DB_PASSWORD", value: "hunter22" }]), { name: "web-task" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /^web-task: container web has DB_PASSWORD in its plain environment, and its name says it is a credential\. Store it in Secrets Manager/);
    });

    it("fails a connection URL with a password in it, whatever its name", async () => {
        const found = messages(await checkResource(noSecretsInTaskEnvironment, TASK, task([{ name: "DATABASE_URL", value: "postgres://app:s3cret@db:5432/app" }])));
        assert.match(found[0], /DATABASE_URL .* its value is a URL with a password in it/);
    });

    it("lets allowedNames exempt a name that only looks like a secret", async () => {
        const props = task([{ name: "JWT_PUBLIC_KEY", value: "-----BEGIN PUBLIC KEY-----" }]);
        assert.strictEqual(messages(await checkResource(noSecretsInTaskEnvironment, TASK, props)).length, 1);
        assert.deepStrictEqual(messages(await checkResource(noSecretsInTaskEnvironment, TASK, props, { config: { allowedNames: ["JWT_PUBLIC_KEY"] } })), []);
    });

    const table: [string, string, boolean][] = [
        ["REDIS_AUTH_TOKEN", "abcdefghijklmnop", true],
        ["NEXTAUTH_SECRET", "x", true],
        ["NEXT_SERVER_ACTIONS_ENCRYPTION_KEY", "x", true],
        ["AWS_SECRET_ACCESS_KEY", "x", true],
        ["API_KEY", "x", true],
        ["ANYTHING", "AKIAABCDEFGHIJKLMNOP", true],
        ["REDIS_URL", "rediss://:token@cache:6379", true],
        ["DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:x", false],
        ["DB_PASSWORD", "", false],
        ["TOKENIZER_MODE", "fast", false],
        ["KEYSPACE", "web", false],
        ["DATABASE_URL", "postgres://db:5432/app", false],
    ];
    for (const [name, value, flagged] of table) {
        it(`${flagged ? "flags" : "does not flag"} ${name}=${JSON.stringify(value)}`, () => {
            assert.strictEqual(secretReason(name, value) !== undefined, flagged);
        });
    }
});
