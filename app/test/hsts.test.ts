/** Strict-Transport-Security: only on responses to requests the ALB received over HTTPS. */
import assert from "node:assert/strict";
import { HSTS_VALUE } from "../lib/hsts";
import { AppInstance } from "../local/app";
import { addEndpoint, fixture, uniqueId } from "../local/fixture";
import { request } from "../local/http";

describe("HSTS against the production build (one instance)", () => {
    let app: AppInstance;
    let endpoint: string;

    before(async () => {
        app = await AppInstance.start(fixture(), {}, "hsts");
        endpoint = uniqueId("hsts");
        await addEndpoint(endpoint, fixture().upstream.url);
    });
    after(async () => {
        await app.stop();
    });

    const paths: Array<[string, string, string | undefined]> = [
        ["health probe", "/api/health", undefined],
        ["gateway call", "/api/gateway?endpoint=", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId" })],
        ["Next page", "/", undefined],
    ];
    for (const [what, path, body] of paths) {
        it(`${what}: sent with X-Forwarded-Proto: https, absent without it or with http`, async () => {
            const send = (headers: Record<string, string>) =>
                request(app.port, body === undefined ? "GET" : "POST", body === undefined ? path : `${path}${endpoint}`, body, { headers });
            const secure = await send({ "x-forwarded-proto": "https" });
            const plain = await send({});
            const http = await send({ "x-forwarded-proto": "http" });
            assert.equal(secure.status, 200, secure.text);
            assert.equal(secure.headers["strict-transport-security"], HSTS_VALUE);
            assert.equal(plain.status, 200, plain.text);
            assert.equal(plain.headers["strict-transport-security"], undefined);
            assert.equal(http.headers["strict-transport-security"], undefined);
        });
    }
});
