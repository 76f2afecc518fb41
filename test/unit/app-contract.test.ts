import * as assert from "assert";
import { ENV_NAMES, ENV_VARS, formatProblems, readConfig } from "../../app/lib/env";
import { APP_ENV_NAMES, APP_OPTIONAL_ENV_NAMES, APP_SECRET_NAMES } from "../../lib/app-contract";

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

describe("app contract: what the program sets is what the app declares (app/lib/env.ts ENV_VARS)", () => {
    const declared = new Set<string>(ENV_NAMES);
    const set = new Set<string>([...APP_ENV_NAMES, ...APP_SECRET_NAMES]);

    it("every variable the program sets, plain or secret, is one the app declares", () => {
        assert.deepStrictEqual([...set].filter((name) => !declared.has(name)), []);
    });

    it("every variable the app requires is one the program sets", () => {
        const required = ENV_NAMES.filter((name) => ENV_VARS[name].default === undefined);
        assert.deepStrictEqual(required.filter((name) => !set.has(name)), []);
    });

    it("the app hides exactly the variables the program passes as ECS secrets", () => {
        assert.deepStrictEqual(ENV_NAMES.filter((name) => "secret" in ENV_VARS[name]).sort(), [...APP_SECRET_NAMES].sort());
    });

    it("the optional variables the program leaves unset are declared, with a default, and not set", () => {
        for (const name of APP_OPTIONAL_ENV_NAMES) {
            assert.ok(declared.has(name), `${name} is not in the app's table`);
            assert.notStrictEqual(ENV_VARS[name].default, undefined, `${name} has no default`);
            assert.ok(!set.has(name), `${name} is set by the program`);
        }
    });
});
