import * as assert from "assert";
import { formatProblems, readConfig } from "../../app/lib/env";
import { APP_OPTIONAL_ENV_NAMES } from "../../lib/app-contract";

/** What the task definition sets, with stand-ins for the secrets. */
const BASE: Record<string, string> = {
    PORT: "3000",
    HOSTNAME: "0.0.0.0",
    PGHOST: "db.internal",
    PGPORT: "5432",
    PGDATABASE: "webfleet",
    PGUSER: "postgres",
    PGPASSWORD: "Secret-Value-1234567890",
    PGSSLMODE: "verify-full",
    DB_POOL_MAX: "25",
    REDIS_URL: "rediss://cache.internal:6379",
    REDIS_AUTH_TOKEN: "Secret-Value-1234567890",
};

describe("app contract: optional variables", () => {
    it("the app starts with every optional variable unset (its defaults apply)", () => {
        const result = readConfig(BASE);
        assert.ok(result.ok, result.ok ? "" : formatProblems(result.problems));
    });

    for (const name of APP_OPTIONAL_ENV_NAMES) {
        it(`the app reads ${name}: a bad value stops it with a message naming ${name}`, () => {
            const result = readConfig({ ...BASE, [name]: "not a valid value" });
            assert.strictEqual(result.ok, false);
            if (!result.ok) {
                assert.deepStrictEqual(result.problems.map((p) => p.name), [name]);
            }
        });
    }
});
