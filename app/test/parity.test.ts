/**
 * The lean server's plain routes and Next's route handlers (API_ROUTER=next) must be
 * indistinguishable to a client: same status, same body, same headers we own.
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { AppInstance } from "../local/app";
import { addEndpoint, fixture, uniqueId } from "../local/fixture";
import { type Reply, request } from "../local/http";
import { freePort } from "../local/ports";

/** Headers the gateway sets; anything else (date, keep-alive, Next's vary) is transport. */
const OWN_HEADERS = [
    "content-type",
    "cache-control",
    "x-cache",
    "x-instance-id",
    "x-request-id",
    "allow",
    "content-encoding",
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
];

function normalise(reply: Reply): { status: number; headers: Record<string, string | undefined>; body: unknown } {
    const headers: Record<string, string | undefined> = {};
    for (const name of OWN_HEADERS) {
        const value = reply.headers[name];
        headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const text = headers["content-encoding"] === "gzip" ? gunzipSync(reply.bytes).toString("utf8") : reply.text;
    let body: unknown = text;
    if (text !== "") {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed === "object" && parsed !== null && "uptimeSeconds" in parsed) {
            // The only field that may differ between two processes started a moment apart.
            const { uptimeSeconds: _uptime, ...rest } = parsed;
            body = rest;
        } else {
            body = parsed;
        }
    }
    return { status: reply.status, headers, body };
}

const ORIGIN = "https://app.example.com";

describe("parity: lean server vs Next route handlers", function () {
    this.timeout(60_000);
    let lean: AppInstance;
    let viaNext: AppInstance;
    let endpoint: string;
    let dead: string;

    before(async () => {
        const f = fixture();
        // Same instance id on purpose, so x-instance-id and health bodies compare equal.
        [lean, viaNext] = await Promise.all([
            AppInstance.start(f, { INSTANCE_ID: "parity", API_ROUTER: "lean", CORS_ORIGINS: ORIGIN }, "parity"),
            AppInstance.start(f, { INSTANCE_ID: "parity", API_ROUTER: "next", CORS_ORIGINS: ORIGIN }, "parity"),
        ]);
        endpoint = uniqueId("parity");
        dead = uniqueId("parity_dead");
        await addEndpoint(endpoint, f.upstream.url);
        await addEndpoint(dead, `http://127.0.0.1:${await freePort()}/`);
    });
    after(async () => {
        await Promise.all([lean.stop(), viaNext.stop()]);
    });

    const gateway = (id: () => string): string => `/api/gateway?endpoint=${id()}`;
    const cors = { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type" };
    const cases: [string, string, () => string, string | undefined, Record<string, string>?][] = [
        ["health", "GET", () => "/api/health", undefined],
        ["health, wrong method", "POST", () => "/api/health", "{}"],
        ["ready", "GET", () => "/api/ready", undefined],
        ["gateway: a plain call", "POST", () => gateway(() => endpoint), '{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x1"]}'],
        ["gateway: a batch", "POST", () => gateway(() => endpoint), '[{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","method":"n"},7]'],
        ["gateway: a notification", "POST", () => gateway(() => endpoint), '{"jsonrpc":"2.0","method":"n"}'],
        ["gateway: invalid JSON", "POST", () => gateway(() => endpoint), "{oops"],
        ["gateway: invalid request", "POST", () => gateway(() => endpoint), '{"jsonrpc":"2.0","id":1}'],
        ["gateway: empty batch", "POST", () => gateway(() => endpoint), "[]"],
        ["gateway: unknown endpoint", "POST", () => "/api/gateway?endpoint=nope_not_here", '{"jsonrpc":"2.0","id":1,"method":"x"}'],
        ["gateway: missing endpoint", "POST", () => "/api/gateway", '{"jsonrpc":"2.0","id":1,"method":"x"}'],
        ["gateway: wrong method", "GET", () => gateway(() => endpoint), undefined],
        ["gateway: body over 5 MiB", "POST", () => gateway(() => endpoint), `{"jsonrpc":"2.0","id":1,"method":"x","params":["${"a".repeat(5 * 1024 * 1024)}"]}`],
        ["gateway: CORS preflight", "OPTIONS", () => gateway(() => endpoint), undefined, cors],
        ["gateway: a call from an allowed origin", "POST", () => gateway(() => endpoint), '{"jsonrpc":"2.0","id":1,"method":"a"}', { origin: ORIGIN }],
        ["gateway: a gzipped answer", "POST", () => gateway(() => endpoint), `{"jsonrpc":"2.0","id":1,"method":"a","params":["${"ab".repeat(4096)}"]}`, { "accept-encoding": "gzip" }],
        ["gateway: upstream down", "POST", () => gateway(() => dead), '{"jsonrpc":"2.0","id":9,"method":"eth_getBalance"}'],
    ];
    for (const [name, method, path, body, headers] of cases) {
        it(`${name}: same status, body and headers`, async () => {
            // One request id for both, so error data and x-request-id compare equal too.
            const withId = { ...headers, "x-request-id": `parity-${name.replace(/[^A-Za-z0-9]+/g, "-")}` };
            const a = normalise(await request(lean.port, method, path(), body, { headers: withId }));
            const b = normalise(await request(viaNext.port, method, path(), body, { headers: withId }));
            assert.equal(a.headers["x-request-id"], withId["x-request-id"]);
            assert.deepEqual(b, a);
        });
    }

    it("cacheable call, first time on each path: both MISS with the same body", async () => {
        const [ea, eb] = [uniqueId("parity_c"), uniqueId("parity_c")];
        await Promise.all([addEndpoint(ea, fixture().upstream.url), addEndpoint(eb, fixture().upstream.url)]);
        const call = '{"jsonrpc":"2.0","id":3,"method":"eth_chainId"}';
        const headers = { "x-request-id": "parity-cacheable" };
        const a = normalise(await request(lean.port, "POST", `/api/gateway?endpoint=${ea}`, call, { headers }));
        const b = normalise(await request(viaNext.port, "POST", `/api/gateway?endpoint=${eb}`, call, { headers }));
        assert.equal(a.headers["x-cache"], "MISS");
        assert.deepEqual(b, a);
    });

    it("the API_ROUTER=next instance really went through Next (its responses carry Next's vary header)", async () => {
        const viaNextReply = await request(viaNext.port, "GET", "/api/health");
        const leanReply = await request(lean.port, "GET", "/api/health");
        assert.equal(leanReply.headers.vary, undefined);
        assert.notEqual(viaNextReply.headers.vary, undefined, JSON.stringify(viaNextReply.headers));
    });
});
