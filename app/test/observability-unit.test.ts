/** Request ids, the access-log limit, the latency histogram, EMF rendering and log redaction. No servers. */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { AccessLog, summarizeMethods } from "../lib/access-log";
import type { Level } from "../lib/log";
import { buildLogger, REDACTED } from "../lib/log";
import { EMITTED_METRIC_NAMES, METRIC_NAMESPACE, TASK_METRICS, UPSTREAM_METRICS } from "../lib/metric-names";
import { LatencyHistogram, MAX_UPSTREAM_HOSTS, Metrics, MetricsWindow, OTHER_HOST, renderEmf } from "../lib/metrics";
import { requestIds } from "../lib/request-id";
import { taskIdFromArn } from "../lib/task-id";
import { emfProblems } from "./support/emf";

const ROOT = "1-5759e988-bd862e3fe1be46a994272793";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("request ids", () => {
    it("takes the Root of X-Amzn-Trace-Id first, wherever it sits in the header", () => {
        assert.deepEqual(requestIds(`Root=${ROOT}`, undefined), { requestId: ROOT });
        assert.deepEqual(requestIds(`Self=1-11111111-222222222222222222222222;Root=${ROOT};Sampled=1`, undefined), { requestId: ROOT });
        assert.deepEqual(requestIds(`Root=${ROOT}`, "client-1"), { requestId: ROOT, clientRequestId: "client-1" });
        assert.deepEqual(requestIds(`Root=${ROOT}`, ROOT), { requestId: ROOT });
    });

    it("falls back to a well-formed client x-request-id", () => {
        assert.deepEqual(requestIds(undefined, "abc-123"), { requestId: "abc-123" });
        assert.deepEqual(requestIds("Root=garbage", "a.b:c_d"), { requestId: "a.b:c_d" });
        assert.deepEqual(requestIds(undefined, ["first", "second"]), { requestId: "first" });
    });

    const malformed = ["", "has space", 'quote"', "x".repeat(129), "semi;colon", "new\nline", "ünïcode"];
    for (const raw of malformed) {
        it(`generates a UUID instead of trusting x-request-id ${JSON.stringify(raw.slice(0, 20))}`, () => {
            assert.match(requestIds(undefined, raw).requestId, UUID);
        });
    }

    it("generates a fresh id per request when nothing usable came in", () => {
        const a = requestIds(null, null).requestId;
        const b = requestIds(null, null).requestId;
        assert.match(a, UUID);
        assert.notEqual(a, b);
    });
});

describe("task id from the ECS task ARN", () => {
    const table: [unknown, string | undefined][] = [
        ["arn:aws:ecs:us-east-1:123456789012:task/webfleet-prod-cluster/0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"],
        ["arn:aws:ecs:us-east-1:123456789012:task/0123456789abcdef", "0123456789abcdef"],
        ["arn:aws:ecs:us-east-1:123456789012:service/cluster/svc", undefined],
        ["not an arn", undefined],
        [42, undefined],
        [undefined, undefined],
    ];
    for (const [arn, id] of table) {
        it(`${JSON.stringify(arn)} → ${String(id)}`, () => assert.equal(taskIdFromArn(arn), id));
    }
});

describe("access log limit", () => {
    interface Line { level: Level; msg: string; fields: Readonly<Record<string, unknown>> }
    const entry = (status: number): { requestId: string; method: string; path: string; status: number; ms: number } => ({
        requestId: "r",
        method: "POST",
        path: "/api/gateway",
        status,
        ms: 1,
    });

    it("writes up to the limit per second, then one summary that accounts for every other request", () => {
        const lines: Line[] = [];
        let now = 10_000;
        const access = new AccessLog(5, (level, msg, fields) => lines.push({ level, msg, fields }), () => now);
        for (let i = 0; i < 2000; i += 1) access.record(entry(200));
        for (let i = 0; i < 3; i += 1) access.record(entry(502));
        assert.equal(lines.length, 8, "5 successes + 3 errors, nothing else yet");
        now = 11_000;
        access.record(entry(200));
        const summary = lines.find((l) => l.msg.startsWith("requests not logged"));
        assert.ok(summary);
        assert.equal(summary.fields.notLogged, 1995);
        assert.deepEqual(summary.fields.notLoggedByStatus, { 200: 1995 });
        assert.equal(summary.level, "info");
        assert.equal(lines.filter((l) => l.msg === "request").length, 9);
        access.flush();
    });

    it("keeps a separate budget for 5xx, written at error, so good traffic never hides failures", () => {
        const lines: Line[] = [];
        const access = new AccessLog(2, (level, msg, fields) => lines.push({ level, msg, fields }), () => 5_000);
        for (let i = 0; i < 100; i += 1) access.record(entry(200));
        access.record(entry(504));
        access.record(entry(502));
        access.record(entry(502));
        const errors = lines.filter((l) => l.level === "error");
        assert.equal(errors.length, 2);
        access.flush();
        const summary = lines[lines.length - 1];
        assert.equal(summary.level, "error");
        assert.deepEqual(summary.fields.notLoggedByStatus, { 200: 98, 502: 1 });
    });

    it("0 logs no request individually but still counts them all", () => {
        const lines: Line[] = [];
        const access = new AccessLog(0, (level, msg, fields) => lines.push({ level, msg, fields }), () => 1_000);
        for (let i = 0; i < 10; i += 1) access.record(entry(200));
        access.flush();
        assert.equal(lines.length, 1);
        assert.equal(lines[0].fields.notLogged, 10);
    });

    it("bounds the method list of a large batch", () => {
        assert.deepEqual(summarizeMethods(["a", "b", "a"]), ["a", "b"]);
        const many = Array.from({ length: 500 }, (_, i) => `m${i}`);
        const out = summarizeMethods(many);
        assert.equal(out.length, 11);
        assert.equal(out[10], "+490 more");
    });
});

describe("latency histogram", () => {
    const exact = (values: number[], p: number): number => {
        const sorted = [...values].sort((a, b) => a - b);
        return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
    };
    // A deterministic spread of shapes: uniform, heavy-tailed, constant, tiny.
    const rng = (seed: number): (() => number) => () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
    };
    const shapes: [string, number[]][] = [
        ["uniform 0–100 ms", Array.from({ length: 5000 }, ((r) => () => r() * 100)(rng(1)))],
        ["heavy tail", Array.from({ length: 5000 }, ((r) => () => 0.5 / Math.max(r(), 1e-4))(rng(2)))],
        ["constant 3 ms", Array.from({ length: 100 }, () => 3)],
        ["one sample", [42]],
        ["sub-millisecond", Array.from({ length: 1000 }, ((r) => () => 0.05 + r() * 0.5)(rng(3)))],
    ];
    for (const [name, values] of shapes) {
        it(`p50 and p99 within 9.1 % of the exact nearest-rank value: ${name}`, () => {
            const h = new LatencyHistogram();
            values.forEach((v) => h.add(v));
            for (const p of [0.5, 0.99]) {
                const want = exact(values, p);
                const got = h.percentile(p);
                assert.ok(got >= want * (1 - 1e-9) && got <= want * 1.091, `p${p * 100}: got ${got}, exact ${want}`);
            }
            assert.equal(h.max, Math.max(...values));
            assert.equal(h.count, values.length);
        });
    }
});

describe("EMF rendering", () => {
    const pool = { open: 3, inUse: 1, waiting: 0, max: 12 };
    const dims = { service: "webfleet-prod", task: "abc123" };

    it("an idle interval: valid EMF, zero counts, no latency members", () => {
        const docs = renderEmf(new MetricsWindow(), dims, pool, 1_700_000_000_000).map((d) => JSON.parse(d));
        assert.equal(docs.length, 1);
        assert.deepEqual(emfProblems(docs[0]), []);
        assert.equal(docs[0][TASK_METRICS.requests], 0);
        assert.equal(docs[0][TASK_METRICS.latencyP99], undefined);
        assert.equal(docs[0][TASK_METRICS.poolMax], 12);
    });

    it("a busy interval: counts, latencies, one document per upstream host, all valid EMF", () => {
        const w = new MetricsWindow();
        w.add({ status: 200, ms: 2, cache: "HIT" });
        w.add({ status: 200, ms: 30, cache: "MISS", upstream: { host: "a.example:443", outcome: "ok" } });
        w.add({ status: 502, ms: 5, cache: "BYPASS", upstream: { host: "a.example:443", outcome: "unavailable" } });
        w.add({ status: 504, ms: 1000, cache: "BYPASS", upstream: { host: "b.example", outcome: "timeout" } });
        w.add({ status: 404, ms: 1, cache: "BYPASS" });
        const docs = renderEmf(w, dims, pool, 1_700_000_000_000).map((d) => JSON.parse(d));
        for (const d of docs) assert.deepEqual(emfProblems(d), [], JSON.stringify(d));
        const [task, a, b] = docs;
        assert.equal(task._aws.CloudWatchMetrics[0].Namespace, METRIC_NAMESPACE);
        assert.deepEqual(task._aws.CloudWatchMetrics[0].Dimensions, [["Service"], ["Service", "Task"]]);
        assert.deepEqual(
            [task.Requests, task.Status4xx, task.Status5xx, task.CacheHits, task.CacheMisses, task.CacheBypasses],
            [5, 1, 2, 1, 1, 3],
        );
        assert.equal(task.LatencyMax, 1000);
        assert.ok(task.LatencyP50 >= 5 && task.LatencyP50 <= 5 * 1.091);
        assert.deepEqual([a.UpstreamHost, a.UpstreamRequests, a.UpstreamErrors, a.UpstreamTimeouts], ["a.example:443", 2, 1, 0]);
        assert.deepEqual([b.UpstreamHost, b.UpstreamRequests, b.UpstreamErrors, b.UpstreamTimeouts], ["b.example", 1, 0, 1]);
        const names = docs.flatMap((d) => d._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name));
        assert.deepEqual([...new Set(names)].sort(), [...EMITTED_METRIC_NAMES].sort(), "every declared metric is emitted, and nothing else");
    });

    it(`bounds upstream-host cardinality at ${MAX_UPSTREAM_HOSTS} per interval`, () => {
        const w = new MetricsWindow();
        for (let i = 0; i < MAX_UPSTREAM_HOSTS + 20; i += 1) w.add({ status: 200, ms: 1, upstream: { host: `h${i}.example`, outcome: "ok" } });
        const docs = renderEmf(w, dims, pool, 1).map((d) => JSON.parse(d)).slice(1);
        assert.equal(docs.length, MAX_UPSTREAM_HOSTS + 1);
        assert.equal(docs.find((d) => d.UpstreamHost === OTHER_HOST)[UPSTREAM_METRICS.requests], 20);
    });

    it("flushes whole intervals: nothing is counted twice or lost", () => {
        const lines: string[] = [];
        const m = new Metrics(dims, () => pool, (l) => lines.push(l), () => 1_700_000_000_000);
        for (let i = 0; i < 7; i += 1) m.record({ status: 200, ms: 1 });
        m.flush();
        for (let i = 0; i < 5; i += 1) m.record({ status: 200, ms: 1 });
        m.setTask("later-id");
        m.flush();
        m.flush();
        const docs = lines.map((l) => JSON.parse(l));
        assert.deepEqual(docs.map((d) => d.Requests), [7, 5, 0]);
        assert.deepEqual(docs.map((d) => d.Task), ["abc123", "later-id", "later-id"]);
    });
});

describe("log lines", () => {
    const capture = (): { stream: Writable; lines: () => Record<string, unknown>[] } => {
        const chunks: string[] = [];
        const stream = new Writable({
            write(chunk: Buffer, _enc, done) {
                chunks.push(chunk.toString("utf8"));
                done();
            },
        });
        return { stream, lines: () => chunks.join("").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l)) };
    };

    it("carry time, level, msg, service and task; info to stdout, warn and error to stderr", () => {
        const out = capture();
        const err = capture();
        const logger = buildLogger("info", { service: "svc", task: "t1" }, out.stream, err.stream);
        logger.info({ requestId: "r1" }, "hello");
        logger.error({ requestId: "r2" }, "boom");
        const [info] = out.lines();
        assert.deepEqual([info.level, info.msg, info.service, info.task, info.requestId], ["info", "hello", "svc", "t1", "r1"]);
        assert.match(String(info.time), /^\d{4}-\d\d-\d\dT/);
        assert.equal(out.lines().length, 1, "the error line is not duplicated to stdout");
        assert.deepEqual(err.lines().map((l) => [l.level, l.msg]), [["error", "boom"]]);
    });

    it("redacts secrets by pino's redaction, at the top level and one object down", () => {
        const out = capture();
        const logger = buildLogger("info", { service: "svc", task: "t" }, out.stream, out.stream);
        logger.info(
            {
                password: "hunter2-top",
                pg: { password: "hunter2-nested", host: "db" },
                REDIS_AUTH_TOKEN: "tok-123456789",
                headers: { authorization: "Bearer abc.def", cookie: "session=1" },
                upstreamUrl: "https://eth.example/v2/SECRET-KEY",
            },
            "config",
        );
        const text = JSON.stringify(out.lines());
        for (const secret of ["hunter2-top", "hunter2-nested", "tok-123456789", "Bearer abc.def", "session=1", "SECRET-KEY"]) {
            assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
        }
        const [line] = out.lines();
        assert.equal(line.password, REDACTED);
        assert.deepEqual(line.pg, { password: REDACTED, host: "db" });
    });

    it("LOG_LEVEL=warn drops info lines", () => {
        const out = capture();
        const logger = buildLogger("warn", { service: "s", task: "t" }, out.stream, out.stream);
        logger.info({}, "quiet");
        logger.warn({}, "loud");
        assert.deepEqual(out.lines().map((l) => l.msg), ["loud"]);
    });
});
