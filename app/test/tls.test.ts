/**
 * TLS to PostgreSQL and Redis, as in AWS (RDS forces TLS; ElastiCache in-transit
 * encryption): `require` encrypts, `verify-full` really verifies (a certificate not
 * issued by the RDS CAs is refused), and rediss:// speaks TLS with verification on.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { AppInstance } from "../local/app";
import { request, json } from "../local/http";
import { PgServer } from "../local/postgres";
import { RedisServer } from "../local/redis";
import { makeCerts, type TestCerts } from "../local/tls";
import { waitFor } from "../local/ports";

interface ReadyBody {
    checks: { redis: string; postgres: string };
}

describe("TLS to PostgreSQL and Redis", function () {
    this.timeout(90_000);
    let certs: TestCerts;
    let pg: PgServer;
    let redis: RedisServer;

    before(async () => {
        certs = makeCerts();
        [pg, redis] = await Promise.all([
            PgServer.start(20, { cert: certs.cert, key: certs.key }),
            RedisServer.start({ cert: certs.cert, key: certs.key, ca: certs.caCert }),
        ]);
    });
    after(async () => {
        await Promise.all([pg?.stop(), redis?.stop()]);
        fs.rmSync(certs.dir, { recursive: true, force: true });
    });

    async function readyChecks(app: AppInstance): Promise<ReadyBody["checks"]> {
        let last: ReadyBody["checks"] = { redis: "?", postgres: "?" };
        // Redis reconnects in the background; give a verified connection a moment to come up.
        await waitFor("a settled readiness answer", async () => {
            last = (json(await request(app.port, "GET", "/api/ready")) as ReadyBody).checks;
            return last.redis === "ok" && last.postgres === "ok";
        }, 3000, 200).catch(() => undefined);
        return last;
    }

    it("PGSSLMODE=require and rediss:// with a trusted CA: ready, and Postgres sees an encrypted connection", async () => {
        const app = await AppInstance.start({ pg, redis }, { PGSSLMODE: "require", NODE_EXTRA_CA_CERTS: certs.caCert }, "tls-ok");
        try {
            assert.deepEqual(await readyChecks(app), { redis: "ok", postgres: "ok" });
            const admin = await pg.superuser();
            const r = await admin.query("SELECT bool_and(s.ssl) AS all_ssl, count(*)::int AS n FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name LIKE 'webfleet-gateway/%'");
            await admin.end();
            assert.ok(r.rows[0].n > 0 && r.rows[0].all_ssl === true, JSON.stringify(r.rows[0]));
        } finally {
            await app.stop();
        }
    });

    it("PGSSLMODE=verify-full refuses a server certificate not issued by the RDS CAs", async () => {
        const app = await AppInstance.start({ pg, redis }, { PGSSLMODE: "verify-full", NODE_EXTRA_CA_CERTS: certs.caCert }, "tls-verify");
        try {
            const checks = await readyChecks(app);
            assert.equal(checks.redis, "ok");
            assert.notEqual(checks.postgres, "ok");
        } finally {
            await app.stop();
        }
    });

    it("rediss:// verifies the Redis certificate: an untrusted CA means no cache (ready 503), not an insecure one", async () => {
        const app = await AppInstance.start({ pg, redis }, { PGSSLMODE: "require" }, "tls-untrusted");
        try {
            const checks = await readyChecks(app);
            assert.equal(checks.postgres, "ok");
            assert.notEqual(checks.redis, "ok");
        } finally {
            await app.stop();
        }
    });
});
