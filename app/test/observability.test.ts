/**
 * Request ids, access lines and EMF metrics of the production build, against the real
 * Postgres, Redis and upstream stub: what an operator reads when something breaks.
 */
import assert from "node:assert/strict";
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import { METRIC_DIMENSIONS, METRIC_NAMESPACE, TASK_METRICS, UPSTREAM_METRICS } from "../lib/metric-names";
import { AppInstance } from "../local/app";
import { addEndpoint, fixture, uniqueId } from "../local/fixture";
import { json, request, rpc } from "../local/http";
import { waitFor } from "../local/ports";
import { emfDocuments, emfProblems, logLines } from "./support/emf";

const TRACE_ROOT = "1-67891233-abcdef012345678912345678";
const TASK_ID = "0123456789abcdef0123456789abcdef";

function post(port: number, endpoint: string, payload: unknown, headers: Record<string, string>): ReturnType<typeof request> {
    return request(port, "POST", `/api/gateway?endpoint=${encodeURIComponent(endpoint)}`, JSON.stringify(payload), { headers });
}

function accessLine(app: AppInstance, requestId: string): Record<string, unknown> | undefined {
    return logLines(app.child.output).find((l) => l.msg === "request" && l.requestId === requestId);
}

/** A stand-in for the ECS task metadata endpoint v4. */
async function metadataEndpoint(): Promise<{ url: string; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
        if (req.url === "/v4/abc/task") {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify({ Cluster: "webfleet-prod", TaskARN: `arn:aws:ecs:us-east-1:123456789012:task/webfleet-prod-cluster/${TASK_ID}` }));
        } else {
            res.writeHead(404).end();
        }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v4/abc`,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

describe("observability (production build, real servers)", function () {
    this.timeout(60_000);

    describe("request ids", () => {
        let app: AppInstance;
        let endpoint: string;
        before(async () => {
            app = await AppInstance.start(fixture(), { METRICS_FLUSH_S: "0" }, "ids");
            endpoint = uniqueId("ids");
            await addEndpoint(endpoint, fixture().upstream.url);
        });
        after(async () => {
            await app.stop();
        });

        it("an upstream failure: the ALB trace id is in x-request-id, the JSON-RPC error data and the access line", async () => {
            fixture().upstream.behaviour = { delayMs: 0, fault: "http-500" };
            const r = await post(app.port, endpoint, { jsonrpc: "2.0", id: 9, method: "eth_getBalance", params: [] }, {
                "x-amzn-trace-id": `Self=1-11111111-222222222222222222222222;Root=${TRACE_ROOT};Sampled=1`,
                "x-request-id": "client-chosen-id",
            });
            assert.equal(r.status, 502, r.text);
            assert.equal(r.headers["x-request-id"], TRACE_ROOT);
            const body = json(r) as { error: { code: number; data: { requestId: string } } };
            assert.equal(body.error.code, -32002);
            assert.deepEqual(body.error.data, { requestId: TRACE_ROOT });
            await waitFor("the access line", async () => accessLine(app, TRACE_ROOT) !== undefined, 5000, 50);
            const line = accessLine(app, TRACE_ROOT);
            assert.ok(line);
            assert.equal(line.level, "error", "a 5xx access line is the error line");
            assert.equal(line.status, 502);
            assert.equal(line.endpoint, endpoint);
            assert.deepEqual(line.rpcMethods, ["eth_getBalance"]);
            assert.equal(line.batchSize, 1);
            assert.equal(line.clientRequestId, "client-chosen-id");
            assert.equal(line.upstreamHost, new URL(fixture().upstream.url).host);
            assert.equal(line.upstreamOutcome, "unavailable");
            assert.match(String(line.error), /HTTP 500/);
            assert.equal(typeof line.upstreamMs, "number");
            assert.equal(typeof line.ms, "number");
            assert.equal(line.task, os.hostname(), "off ECS the task is the host name");
            assert.equal(line.service, "webfleet-gateway");
            assert.ok(!JSON.stringify(line).includes("/rpc"), "the upstream URL path (where API keys live) is not logged");
        });

        it("a well-formed client x-request-id is kept; a malformed one is replaced by a fresh UUID", async () => {
            const good = await post(app.port, endpoint, { jsonrpc: "2.0", id: 1, method: "eth_chainId" }, { "x-request-id": "abc-123_x.y:z" });
            assert.equal(good.headers["x-request-id"], "abc-123_x.y:z");
            const bad = await post(app.port, endpoint, { jsonrpc: "2.0", id: 1, method: "eth_chainId" }, { "x-request-id": 'x" injected="1' });
            const id = String(bad.headers["x-request-id"]);
            assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
            const probe = await request(app.port, "GET", "/api/health");
            assert.match(String(probe.headers["x-request-id"]), /^[0-9a-f-]{36}$/);
            await waitFor("both access lines", async () => accessLine(app, id) !== undefined && accessLine(app, "abc-123_x.y:z") !== undefined, 5000, 50);
            const line = accessLine(app, id);
            assert.equal(line?.level, "info");
            assert.equal(line?.status, 200);
            assert.ok(line?.cache === "HIT" || line?.cache === "MISS");
        });

        it("gateway-made errors carry the id too (unknown endpoint, 404)", async () => {
            const r = await post(app.port, uniqueId("nope"), { jsonrpc: "2.0", id: 1, method: "eth_chainId" }, { "x-request-id": "find-me-404" });
            assert.equal(r.status, 404);
            assert.deepEqual((json(r) as { error: { data: unknown } }).error.data, { requestId: "find-me-404" });
        });
    });

    describe("access log rate limit", () => {
        it("above ACCESS_LOG_MAX_PER_S, the rest of the second is one summary line with the count", async () => {
            const app = await AppInstance.start(fixture(), { METRICS_FLUSH_S: "0", ACCESS_LOG_MAX_PER_S: "3" }, "sampled");
            const endpoint = uniqueId("sampled");
            await addEndpoint(endpoint, fixture().upstream.url);
            try {
                const sent = 40;
                await Promise.all(Array.from({ length: sent }, (_, i) => rpc(app.port, endpoint, { jsonrpc: "2.0", id: i, method: "eth_chainId" })));
                const counted = (): number => {
                    const lines = logLines(app.child.output);
                    const logged = lines.filter((l) => l.msg === "request" && l.path === "/api/gateway").length;
                    const summarized = lines.filter((l) => typeof l.notLogged === "number").reduce((sum, l) => sum + Number(l.notLogged), 0);
                    return logged + summarized;
                };
                await waitFor("every request logged or summarized", async () => counted() >= sent, 5000, 50);
                assert.equal(counted(), sent);
                const logged = logLines(app.child.output).filter((l) => l.msg === "request" && l.path === "/api/gateway").length;
                assert.ok(logged < sent, `${logged} individual lines for ${sent} requests: the limit did nothing`);
            } finally {
                await app.stop();
            }
        });
    });

    describe("EMF metrics", () => {
        let app: AppInstance;
        let meta: { url: string; close(): Promise<void> };
        before(async () => {
            meta = await metadataEndpoint();
            app = await AppInstance.start(fixture(), { METRICS_FLUSH_S: "1", METRICS_SERVICE: "webfleet-test", ECS_CONTAINER_METADATA_URI_V4: meta.url }, "emf");
        });
        after(async () => {
            await app.stop();
            await meta.close();
        });

        const taskDocs = (): Record<string, unknown>[] =>
            emfDocuments(app.child.output).filter((d) => d[TASK_METRICS.requests] !== undefined && d[METRIC_DIMENSIONS.task] === TASK_ID);
        const sum = (docs: Record<string, unknown>[], name: string): number => docs.reduce((s, d) => s + Number(d[name] ?? 0), 0);

        it("every line is valid EMF, in our namespace, with Service and Task (the ECS task id) dimensions", async () => {
            await waitFor("a metric line with the ECS task id", async () => taskDocs().length > 0, 10_000, 100);
            const docs = emfDocuments(app.child.output);
            assert.ok(docs.length > 0);
            for (const doc of docs) {
                assert.deepEqual(emfProblems(doc), [], JSON.stringify(doc));
                const directives = (doc._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][] }> }).CloudWatchMetrics;
                for (const d of directives) {
                    assert.equal(d.Namespace, METRIC_NAMESPACE);
                    assert.ok(d.Dimensions.every((set) => set[0] === METRIC_DIMENSIONS.service));
                }
                assert.equal(doc[METRIC_DIMENSIONS.service], "webfleet-test");
            }
            const line = logLines(app.child.output).find((l) => l.task === TASK_ID);
            assert.ok(line === undefined || line.service === "webfleet-test");
        });

        it("send N, read N: Requests, 4xx, 5xx, cache and upstream counts equal what was sent", async () => {
            const f = fixture();
            const endpoint = uniqueId("emf");
            await addEndpoint(endpoint, f.upstream.url);
            await waitFor("the task id", async () => taskDocs().length > 0, 10_000, 100);
            const before = taskDocs().length;
            // Counting starts with the next interval; requests sent now fall in intervals not yet written.
            const hits = 25;
            const misses = 7;
            const notFound = 3;
            const upstreamFailures = 4;
            await rpc(app.port, endpoint, { jsonrpc: "2.0", id: 0, method: "eth_chainId" }); // fills the cache (a MISS)
            for (let i = 0; i < hits; i += 1) await rpc(app.port, endpoint, { jsonrpc: "2.0", id: i, method: "eth_chainId" });
            for (let i = 0; i < misses; i += 1) await rpc(app.port, endpoint, { jsonrpc: "2.0", id: i, method: "eth_getBalance", params: [i] });
            for (let i = 0; i < notFound; i += 1) await rpc(app.port, uniqueId("missing"), { jsonrpc: "2.0", id: i, method: "eth_chainId" });
            f.upstream.behaviour = { delayMs: 0, fault: "http-500" };
            for (let i = 0; i < upstreamFailures; i += 1) await rpc(app.port, endpoint, { jsonrpc: "2.0", id: i, method: "eth_getBalance", params: ["x", i] });
            f.upstream.reset();
            const sent = 1 + hits + misses + notFound + upstreamFailures;

            await waitFor(`${sent} requests in the metric lines`, async () => sum(taskDocs(), TASK_METRICS.requests) >= sent, 15_000, 100);
            // One more interval: nothing is counted twice.
            const settled = taskDocs().length;
            await waitFor("one more interval", async () => taskDocs().length > settled, 5000, 100);
            const docs = taskDocs();
            assert.ok(docs.length > before);
            assert.equal(sum(docs, TASK_METRICS.requests), sent);
            assert.equal(sum(docs, TASK_METRICS.status4xx), notFound);
            assert.equal(sum(docs, TASK_METRICS.status5xx), upstreamFailures);
            assert.equal(sum(docs, TASK_METRICS.cacheHits), hits);
            // eth_getBalance is not cacheable (BYPASS); the first eth_chainId is the one MISS.
            assert.equal(sum(docs, TASK_METRICS.cacheMisses), 1);
            assert.equal(sum(docs, TASK_METRICS.cacheBypasses), misses + notFound + upstreamFailures);
            const up = emfDocuments(app.child.output).filter((d) => d[METRIC_DIMENSIONS.upstreamHost] === new URL(f.upstream.url).host);
            assert.equal(sum(up, UPSTREAM_METRICS.requests), 1 + misses + upstreamFailures);
            assert.equal(sum(up, UPSTREAM_METRICS.errors), upstreamFailures);
            assert.equal(sum(up, UPSTREAM_METRICS.timeouts), 0);
            const withTraffic = docs.filter((d) => Number(d[TASK_METRICS.requests]) > 0);
            for (const d of withTraffic) {
                assert.ok(Number(d[TASK_METRICS.latencyP50]) > 0 && Number(d[TASK_METRICS.latencyP50]) <= Number(d[TASK_METRICS.latencyP99]));
                assert.ok(Number(d[TASK_METRICS.latencyP99]) <= Number(d[TASK_METRICS.latencyMax]));
            }
        });

        it("PoolOpen equals what pg_stat_activity counts for the app's application_name; PoolMax is DB_POOL_MAX", async () => {
            const f = fixture();
            // Concurrent lookups of unknown ids each need a connection: the pool opens several.
            await Promise.all(Array.from({ length: 8 }, () => rpc(app.port, uniqueId("poolcheck"), { jsonrpc: "2.0", id: 1, method: "eth_chainId" })));
            const latest = async (): Promise<Record<string, unknown>> => {
                const n = taskDocs().length;
                await waitFor("a fresh metric line", async () => taskDocs().length > n, 5000, 50);
                return taskDocs()[taskDocs().length - 1];
            };
            const activity = async (): Promise<number> =>
                Number((await f.seed.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", ["webfleet-gateway/emf"])).rows[0].n);
            // Idle connections close after 30 s; read both sides back to back, and again if one moved in between.
            let metric = -1;
            let actual = -2;
            for (let attempt = 0; attempt < 3 && metric !== actual; attempt += 1) {
                const doc = await latest();
                actual = await activity();
                metric = Number(doc[TASK_METRICS.poolOpen]);
                assert.equal(doc[TASK_METRICS.poolMax], 5);
            }
            assert.ok(actual >= 1, "the lookups opened connections");
            assert.equal(metric, actual);
        });
    });
});
