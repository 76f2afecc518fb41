/** N tasks starting together on an empty database: the schema is created once, nobody fails. */
import assert from "node:assert/strict";
import { AppInstance } from "../local/app";
import { fixture } from "../local/fixture";
import { APP_USER } from "../local/postgres";
import { waitFor } from "../local/ports";

describe("schema at start (advisory lock)", function () {
    this.timeout(60_000);

    it("three instances starting at once on an empty database all see the schema, none errors", async () => {
        const f = fixture();
        const database = `webfleet_race_${process.pid}`;
        const admin = await f.pg.superuser();
        await admin.query(`CREATE DATABASE ${database} OWNER ${APP_USER}`);
        await admin.end();
        // A long connect timeout: on a busy machine a slow connect is retried and logged,
        // which is not the race this test is about.
        const env = { PGDATABASE: database, DB_CONNECT_TIMEOUT_MS: "30000" };
        const apps = await Promise.all([0, 1, 2].map((i) => AppInstance.start(f, env, `race-${i}`)));
        try {
            await waitFor("every instance to report the schema", async () => apps.every((a) => a.child.output.includes('"msg":"schema ready"')), 45_000);
            for (const app of apps) {
                // The race the advisory lock prevents shows as a failed CREATE (duplicate
                // type/relation, unique violation); a connect timeout under load is not it.
                const retries = app.child.output.split("\n").filter((line) => line.includes("schema not created yet"));
                const raced = retries.filter((line) => !/connection timeout|timeout expired|ECONNREFUSED/.test(line));
                assert.deepEqual(raced, [], app.child.tail());
            }
            const client = await f.pg.appClient(database);
            const r = await client.query("SELECT count(*)::int AS n FROM rpc_endpoints");
            await client.end();
            assert.equal(r.rows[0].n, 0);
        } finally {
            await Promise.all(apps.map((a) => a.stop()));
        }
    });
});
