/**
 * Edges of app/lib's pure modules that the mutation run (docs/MUTATION.md) found unpinned:
 * CORS, answer matching, request and task ids, HSTS, JSON-RPC error text, gzip, metrics,
 * the access-log limit. No servers.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { AccessLog, summarizeMethods } from "../lib/access-log";
import type { ApiResponse } from "../lib/api";
import { acceptsGzip, GZIP_MIN_BYTES, maybeGzip } from "../lib/compress";
import { corsHeaders, parseCorsOrigins, preflightHeaders } from "../lib/cors";
import { HSTS_HEADER, HSTS_VALUE } from "../lib/hsts";
import { parseBody, RpcCode, rpcErrorText } from "../lib/jsonrpc";
import { LatencyHistogram, MAX_UPSTREAM_HOSTS, Metrics, MetricsWindow, OTHER_HOST, renderEmf } from "../lib/metrics";
import { requestIds } from "../lib/request-id";
import { fallbackTaskId, fetchTaskId, taskIdFromArn } from "../lib/task-id";
import { parseCacheTtls } from "../lib/cache-policy";
import { matchUpstreamAnswers } from "../lib/upstream-answers";

const ROOT = "1-5759e988-bd862e3fe1be46a994272793";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("CORS at the edges", () => {
    const policy = (raw: string) => {
        const r = parseCorsOrigins(raw);
        assert.ok(r.ok, raw);
        return r.policy;
    };

    it("a blank value (spaces only) is off, like an empty one; spaces around * still mean any", () => {
        assert.equal(policy("   ").kind, "off");
        assert.equal(policy("  *  ").kind, "any");
    });

    it("accepts bracketed IPv6 origins with and without a port, http and https", () => {
        for (const ok of ["http://[::1]", "https://[::1]:8443", "http://[2001:db8::1]:80", "https://[fe80::1]"]) {
            const p = policy(ok);
            assert.equal(corsHeaders(p, ok)["access-control-allow-origin"], ok, ok);
        }
    });

    it("refuses origins with anything before the scheme, after the host or port, a bad port or a bad IPv6", () => {
        for (const bad of [
            "x https://a.example",
            "x https://[::1]",
            "https://[::1]/path",
            "https://[::1]:",
            "https://[::1]:123456",
            "https://[::1]:8x",
            "https://[]",
            "https://[::g]",
            "https://[::1]x",
            "ftp://[::1]",
            "https://a.example:123456",
        ]) {
            assert.equal(parseCorsOrigins(bad).ok, false, bad);
        }
    });

    it("an allowed origin is matched whatever case it arrives in; a list says Vary: Origin, * does not", () => {
        const list = policy("https://a.example");
        assert.deepEqual(corsHeaders(list, undefined), { vary: "Origin" }, "no Origin: still varies");
        const any = policy("*");
        assert.deepEqual(corsHeaders(any, "https://x.example"), { "access-control-allow-origin": "*" });
        assert.deepEqual(corsHeaders(any, undefined), {}, "no Origin: no CORS headers");
    });

    it("a preflight: the full header set; no Origin is refused even under *", () => {
        const any = policy("*");
        assert.equal(preflightHeaders(any, undefined, "content-type"), undefined);
        assert.deepEqual(preflightHeaders(any, "https://x.example", undefined), {
            "access-control-allow-origin": "*",
            "access-control-allow-methods": "POST, OPTIONS",
            "access-control-allow-headers": "content-type",
            "access-control-max-age": "600",
        });
    });

    it("echoes well-formed requested header lists only (spaces allowed around names and commas)", () => {
        const any = policy("*");
        const echoed = (h: string) => preflightHeaders(any, "https://x.example", h)?.["access-control-allow-headers"];
        for (const ok of [" content-type", "content-type ", "a, b, c", "a ,b", "a,b", "x-a,\tx-b"]) {
            assert.equal(echoed(ok), ok, ok);
        }
        for (const bad of ["", ",", "a,", "a b", "x:y", "a,,b", "a\u00e9"]) {
            assert.equal(echoed(bad), "content-type", JSON.stringify(bad));
        }
    });
});

describe("upstream answers at the edges", () => {
    const err = { code: -32601, message: "nope" };

    it("two id-less errors are not handed to the one open call (which of them would be a guess)", () => {
        const other = { code: -32000, message: "other" };
        assert.deepEqual(matchUpstreamAnswers([{ id: null, error: err }, { id: null, error: other }], [true]), [undefined]);
        assert.deepEqual(matchUpstreamAnswers([{ id: null, error: err }], [true]), [{ kind: "error", value: err }]);
    });

    it("a response with both result and a real error is an error; result with error null is a result", () => {
        assert.deepEqual(matchUpstreamAnswers({ id: 1, result: "0x1", error: err }, [true]), [{ kind: "error", value: err }]);
        assert.deepEqual(matchUpstreamAnswers({ id: 1, result: "0x1", error: null }, [true]), [{ kind: "result", value: "0x1" }]);
        assert.deepEqual(matchUpstreamAnswers({ id: 1, result: null }, [true]), [{ kind: "result", value: null }]);
        assert.deepEqual(matchUpstreamAnswers({ id: 1, error: "not an object" }, [true]), [undefined]);
        assert.deepEqual(matchUpstreamAnswers({ id: 1 }, [true]), [undefined]);
    });

    it("an answer to a notification's id is dropped, and a second answer to one call does not replace the first", () => {
        assert.deepEqual(matchUpstreamAnswers([{ id: 1, result: "a" }, { id: 2, result: "b" }], [false, true]), [undefined, { kind: "result", value: "b" }]);
        assert.deepEqual(matchUpstreamAnswers([{ id: 1, result: "first" }, { id: 1, result: "second" }], [true]), [{ kind: "result", value: "first" }]);
    });

    it("an id-less error without an id member counts as id-less; a result without an id, or an error for a foreign id, is no stray", () => {
        assert.deepEqual(matchUpstreamAnswers({ error: err }, [true]), [{ kind: "error", value: err }]);
        assert.deepEqual(matchUpstreamAnswers({ id: null, result: "0x1" }, [true]), [undefined]);
        assert.deepEqual(matchUpstreamAnswers({ id: 7, error: err }, [true]), [undefined]);
        assert.deepEqual(matchUpstreamAnswers({ id: "1", error: err }, [true]), [undefined]);
    });

    it("a stray error goes nowhere when every call is answered, or when a batch answer leaves several open", () => {
        assert.deepEqual(matchUpstreamAnswers([{ id: 1, result: "a" }, { id: null, error: err }], [true]), [{ kind: "result", value: "a" }]);
        assert.deepEqual(matchUpstreamAnswers([{ id: null, error: err }], [true, true]), [undefined, undefined]);
        assert.deepEqual(matchUpstreamAnswers([{ id: 1, result: "a" }, { id: null, error: err }], [true, true, true]), [{ kind: "result", value: "a" }, undefined, undefined]);
    });

    it("one error object for a whole batch answers every call only when none was answered", () => {
        assert.deepEqual(matchUpstreamAnswers({ id: null, error: err }, [true, true]), [{ kind: "error", value: err }, { kind: "error", value: err }]);
        assert.deepEqual(matchUpstreamAnswers({ id: null, error: err }, [false, false]), [undefined, undefined]);
    });
});

describe("request and task ids at the edges", () => {
    it("Root= must start the header or follow a ';' (spaces allowed), and end at ';' or the end", () => {
        assert.deepEqual(requestIds(`Self=x;  Root=${ROOT}  ;Sampled=1`, undefined), { requestId: ROOT });
        assert.deepEqual(requestIds(`Self=x; Root=${ROOT}`, undefined), { requestId: ROOT });
        for (const bad of [`xRoot=${ROOT}`, `Self=xRoot=${ROOT}`, `Root=${ROOT}x`, `Root=${ROOT} x`, `a b;Root=${ROOT}1`]) {
            assert.match(requestIds(bad, undefined).requestId, UUID, bad);
        }
    });

    it("an empty trace header list or a null one falls through to the client id", () => {
        assert.deepEqual(requestIds(null, "abc"), { requestId: "abc" });
        assert.deepEqual(requestIds([], "abc"), { requestId: "abc" });
        assert.match(requestIds(undefined, []).requestId, UUID);
    });

    it("a malformed client id is not logged beside the trace id", () => {
        assert.deepEqual(requestIds(`Root=${ROOT}`, "has space"), { requestId: ROOT });
    });

    it("task ids: only an ARN's task/ resource, only safe characters, whole id", () => {
        assert.equal(taskIdFromArn("arn:aws:ecs:us-east-1:123456789012:task/c/abc_DEF-1"), "abc_DEF-1");
        assert.equal(taskIdFromArn("arn:aws:ecs:us-east-1:123456789012:task/abc"), "abc");
        assert.equal(taskIdFromArn("xarn:aws:ecs:us-east-1:123456789012:task/c/abc"), undefined);
        assert.equal(taskIdFromArn(":aws:ecs:us-east-1:123456789012:task/c/abc"), undefined);
        assert.equal(taskIdFromArn("arn:aws:ecs:us-east-1:123456789012:task/c/a:b"), undefined, "a colon in the id");
        assert.equal(taskIdFromArn("arn:aws:ecs:us-east-1:123456789012:task/c/.abc"), undefined);
        assert.equal(taskIdFromArn("arn:aws:ecs:us-east-1:123456789012:task/c/abc."), undefined);
        assert.equal(taskIdFromArn("arn:aws:ecs:us-east-1:123456789012:task/c/"), undefined, "an empty id");
        assert.equal(taskIdFromArn("arn:aws:ecs:us-east-1:123456789012:task/c/" + "a".repeat(129)), undefined);
        assert.equal(taskIdFromArn("arn:aws:ecs:us-east-1:123456789012:task/c/" + "a".repeat(128)), "a".repeat(128));
    });
});

describe("HSTS header and JSON-RPC error text", () => {
    it("HSTS is one year, without includeSubDomains or preload", () => {
        assert.equal(HSTS_HEADER, "strict-transport-security");
        assert.equal(HSTS_VALUE, "max-age=31536000");
    });

    it("an error answer echoes the raw id and carries the request id in data when known", () => {
        assert.deepEqual(JSON.parse(rpcErrorText("7", -32600, "bad", "req-1")), { jsonrpc: "2.0", id: 7, error: { code: -32600, message: "bad", data: { requestId: "req-1" } } });
        assert.equal(rpcErrorText("12345678901234567890", -32600, "bad"), '{"jsonrpc":"2.0","id":12345678901234567890,"error":{"code":-32600,"message":"bad"}}');
    });

    it("too deep a body is refused with a message that names the limit", () => {
        const r = parseBody("[".repeat(65) + "]".repeat(65));
        assert.deepEqual(r, { kind: "invalid", rawId: "null", message: "Invalid Request: JSON nested deeper than 64 levels" });
    });

    it("a batch keeps each call's raw id; an id of the wrong type is refused, whatever else the call has", () => {
        const r = parseBody('[{"jsonrpc":"2.0","id":1e3,"method":"a"},{"jsonrpc":"2.0","id":12345678901234567890,"method":"b"}]');
        assert.ok(r.kind === "batch");
        assert.deepEqual(r.items.map((i) => (i.kind === "call" ? i.call.rawId : i.rawId)), ["1e3", "12345678901234567890"]);
        const single = parseBody('{"jsonrpc":"2.0","id":1e3,"method":"a"}');
        assert.ok(single.kind === "single" && single.item.kind === "call");
        assert.equal(single.item.call.rawId, "1e3");
        const wrong = parseBody('{"jsonrpc":"2.0","id":true,"method":"a"}');
        assert.deepEqual(wrong, { kind: "invalid", rawId: "null", message: "Invalid Request: id must be a string, a number or null" });
    });
});

describe("gzip at the edges", () => {
    const sized = (bytes: number, headers: Record<string, string> = {}, status = 200): ApiResponse => ({ status, headers: { "content-type": "application/json", ...headers }, body: "x".repeat(bytes) });

    it("reads q-values with spaces around parameters, x-gzip as gzip, and ignores other parameters", () => {
        assert.equal(acceptsGzip("gzip; q=0"), false);
        assert.equal(acceptsGzip("gzip ;q=0 "), false);
        assert.equal(acceptsGzip("x-gzip"), true);
        assert.equal(acceptsGzip("x-gzip;q=0, *"), false, "an explicit refusal beats *");
        assert.equal(acceptsGzip("gzip;level=9"), true);
        assert.equal(acceptsGzip("gzip;q=junk"), false, "an unreadable q-value counts as 0");
    });

    it("compresses from exactly GZIP_MIN_BYTES, not below", async () => {
        assert.equal((await maybeGzip(sized(GZIP_MIN_BYTES), "gzip")).headers["content-encoding"], "gzip");
        const below = sized(GZIP_MIN_BYTES - 1);
        assert.equal(await maybeGzip(below, "gzip"), below, "untouched, no Vary either");
        assert.equal(await maybeGzip(below, undefined), below);
        const bytes: ApiResponse = { status: 200, headers: {}, body: new Uint8Array(GZIP_MIN_BYTES - 1) };
        assert.equal(await maybeGzip(bytes, "gzip"), bytes, "a byte body is measured in bytes");
        assert.equal((await maybeGzip({ status: 200, headers: {}, body: new Uint8Array(GZIP_MIN_BYTES) }, "gzip")).headers["content-encoding"], "gzip");
    });

    it("leaves 204 and already-encoded answers alone; appends to an existing Vary", async () => {
        const noContent = sized(GZIP_MIN_BYTES, {}, 204);
        assert.equal(await maybeGzip(noContent, "gzip"), noContent);
        const encoded = sized(GZIP_MIN_BYTES, { "content-encoding": "br" });
        assert.equal(await maybeGzip(encoded, "gzip"), encoded);
        const varied = await maybeGzip(sized(GZIP_MIN_BYTES, { vary: "Origin" }), "gzip");
        assert.equal(varied.headers.vary, "Origin, Accept-Encoding");
        const plain = await maybeGzip(sized(GZIP_MIN_BYTES, { vary: "Origin" }), "identity");
        assert.equal(plain.headers.vary, "Origin, Accept-Encoding");
        assert.equal(plain.headers["content-encoding"], undefined);
    });
});

describe("metrics at the edges", () => {
    const dims = { service: "svc", task: "t1" };
    const pool = { open: 0, inUse: 0, waiting: 0, max: 1 };
    const taskDoc = (w: MetricsWindow) => JSON.parse(renderEmf(w, dims, pool, 1)[0]);

    it("counts 400 as 4xx and 500 as 5xx, 399 and 499 on the lower side", () => {
        const w = new MetricsWindow();
        for (const status of [399, 400, 499, 500]) w.add({ status, ms: 1 });
        const d = taskDoc(w);
        assert.deepEqual([d.Requests, d.Status4xx, d.Status5xx], [4, 2, 1]);
    });

    it("counts each cache status on its own; no status counts as none", () => {
        const w = new MetricsWindow();
        w.add({ status: 200, ms: 1 });
        w.add({ status: 200, ms: 1, cache: "BYPASS" });
        const d = taskDoc(w);
        assert.deepEqual([d.CacheHits, d.CacheMisses, d.CacheBypasses], [0, 0, 1]);
    });

    it("counts only unavailable upstream answers as errors and only timeouts as timeouts", () => {
        const w = new MetricsWindow();
        for (const outcome of ["ok", "too-large", "aborted", "unavailable", "timeout"] as const) w.add({ status: 200, ms: 1, upstream: { host: "h", outcome } });
        const up = JSON.parse(renderEmf(w, dims, pool, 1)[1]);
        assert.deepEqual([up.UpstreamRequests, up.UpstreamErrors, up.UpstreamTimeouts], [5, 1, 1]);
        assert.deepEqual(up._aws.CloudWatchMetrics[0].Dimensions, [["Service", "UpstreamHost"], ["Service", "Task", "UpstreamHost"]]);
    });

    it("hosts beyond the limit are counted under 'other'", () => {
        const w = new MetricsWindow();
        for (let i = 0; i <= MAX_UPSTREAM_HOSTS; i += 1) w.add({ status: 200, ms: 1, upstream: { host: `h${i}`, outcome: "ok" } });
        assert.equal(OTHER_HOST, "other");
        assert.ok(renderEmf(w, dims, pool, 1).some((d) => JSON.parse(d).UpstreamHost === "other"));
    });

    it("latencies are in Milliseconds, counts in Count", () => {
        const w = new MetricsWindow();
        w.add({ status: 200, ms: 3 });
        const units = Object.fromEntries(taskDoc(w)._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string; Unit: string }) => [m.Name, m.Unit]));
        assert.equal(units.LatencyP50, "Milliseconds");
        assert.equal(units.LatencyMax, "Milliseconds");
        assert.equal(units.Requests, "Count");
    });

    it("the histogram: an empty one reports 0; tiny and zero latencies are kept apart from 0.02 ms; max is the largest seen", () => {
        const h = new LatencyHistogram();
        assert.equal(h.percentile(0.5), 0);
        h.add(0);
        h.add(0.01);
        assert.equal(h.percentile(1), 0.01, "both in the first bucket, capped by the max");
        assert.equal(h.percentile(0.5), 0.01, "0 ms shares the first bucket");
        h.add(0.02);
        assert.ok(h.percentile(1) <= 0.02 && h.percentile(1) > 0.01);
        assert.ok(h.percentile(0.5) <= 0.01);
        h.add(-5);
        assert.equal(h.max, 0.02);
    });
});

describe("metrics and error codes: exact values", () => {
    it("percentiles are the upper bound of their 2^(1/8)-wide bucket, nearest rank", () => {
        const h = new LatencyHistogram();
        h.add(1);
        h.add(1000);
        // 1 ms falls in bucket ceil(8·log2(100)) = 54, whose upper bound is 0.01·2^(54/8) ms.
        assert.equal(h.percentile(0.5), 0.01 * Math.exp((54 * Math.log(2)) / 8));
        const w = new MetricsWindow();
        for (let i = 0; i < 98; i++) {
            w.add({ status: 200, ms: 1 });
        }
        w.add({ status: 200, ms: 10 });
        w.add({ status: 200, ms: 1000 });
        const doc = JSON.parse(renderEmf(w, { service: "s", task: "t" }, { open: 0, inUse: 0, waiting: 0, max: 1 }, 0)[0]);
        assert.ok(doc.LatencyP99 >= 10 && doc.LatencyP99 < 11, `p99 is the 99th of 100 (10 ms), got ${doc.LatencyP99}`);
    });

    it("an upstream answer too large is -32005 (clients see this code)", () => {
        assert.equal(RpcCode.UpstreamResponseTooLarge, -32005);
    });

    it("gzip;q=1 accepts gzip", () => {
        assert.equal(acceptsGzip("gzip;q=1"), true);
        assert.equal(acceptsGzip("gzip;q=0"), false);
    });
});

describe("metrics flushing: start and stop", () => {
    const dims = { service: "svc", task: "t1" };
    const pool = () => ({ open: 0, inUse: 0, waiting: 0, max: 1 });

    it("0 turns flushing off: stop writes nothing", () => {
        const lines: string[] = [];
        const m = new Metrics(dims, pool, (l) => lines.push(l));
        m.start(0);
        m.record({ status: 200, ms: 1 });
        m.stop();
        assert.deepEqual(lines, []);
    });

    it("after start, stop writes the last partial interval once and stops the timer", () => {
        const lines: string[] = [];
        const m = new Metrics(dims, pool, (l) => lines.push(l));
        m.start(3_600_000);
        m.record({ status: 200, ms: 1 });
        m.stop();
        assert.deepEqual(lines.map((l) => JSON.parse(l).Requests), [1]);
        m.stop();
        assert.equal(lines.length, 1, "a second stop writes nothing");
    });

    it("the interval writes each window, and stop ends it (no line after stop)", async () => {
        const lines: string[] = [];
        const m = new Metrics(dims, pool, (l) => lines.push(l));
        m.record({ status: 200, ms: 1 });
        m.start(1);
        // Timers fire in order of their due time: the 1-ms interval before this 30-ms wait.
        await new Promise((resolve) => setTimeout(resolve, 30));
        assert.ok(lines.length >= 1, "the interval flushed");
        assert.equal(JSON.parse(lines[0]).Requests, 1);
        m.stop();
        const written = lines.length;
        await new Promise((resolve) => setTimeout(resolve, 30));
        assert.equal(lines.length, written, "nothing after stop");
    });

    it("the flush timer does not keep the process alive (it is unref'd; shutdown calls stop)", () => {
        const m = new Metrics(dims, pool, () => undefined);
        const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
        const before = refTimers();
        m.start(3_600_000);
        const after = refTimers();
        m.stop();
        assert.equal(after, before, "start adds no timer that holds the event loop");
    });
});

describe("access log at the edges", () => {
    type Line = { level: string; msg: string; fields: Readonly<Record<string, unknown>> };
    const entry = (status: number) => ({ requestId: "r", method: "POST", path: "/api/gateway", status, ms: 1 });

    it("499 is logged at info within the success budget, 500 at error", () => {
        const lines: Line[] = [];
        const access = new AccessLog(1, (level, msg, fields) => lines.push({ level, msg, fields }), () => 0);
        access.record(entry(499));
        access.record(entry(500));
        assert.deepEqual(lines.map((l) => [l.level, l.msg]), [["info", "request"], ["error", "request"]]);
        access.flush();
    });

    it("the summary names its second and counts logged lines of both budgets", () => {
        const lines: Line[] = [];
        let now = 1_700_000_000_250;
        const access = new AccessLog(1, (level, msg, fields) => lines.push({ level, msg, fields }), () => now);
        access.record(entry(200));
        access.record(entry(200));
        access.record(entry(500));
        access.record(entry(500));
        now += 1000;
        access.record(entry(200));
        const summary = lines.find((l) => l.msg.startsWith("requests not logged"));
        assert.ok(summary);
        assert.deepEqual(summary.fields, { second: "2023-11-14T22:13:20.000Z", logged: 2, notLogged: 2, notLoggedByStatus: { 200: 1, 500: 1 }, maxPerSecond: 1 });
        access.flush();
    });

    it("the first request at time 0 is logged in second 0, and the summary goes out by itself when the second ends", async () => {
        const lines: Line[] = [];
        let now = 999;
        const access = new AccessLog(0, (level, msg, fields) => lines.push({ level, msg, fields }), () => now);
        access.record(entry(200));
        now = 1_001;
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(lines.length, 1, "flushed by its own timer, a few ms after the second ended");
        assert.equal(lines[0].fields.second, "1970-01-01T00:00:00.000Z");
        access.flush();
        assert.equal(lines.length, 1, "nothing pending twice");
    });

    it("an explicit flush cancels the pending timer, so the next second's summary is not written early", async () => {
        const lines: Line[] = [];
        let now = 999;
        const access = new AccessLog(0, (level, msg, fields) => lines.push({ level, msg, fields }), () => now);
        access.record(entry(200)); // second 0, suppressed: its timer is due 2 ms from now
        now = 1_000;
        access.record(entry(503)); // second 1: flushes second 0, then suppressed with a timer due in 1,001 ms
        assert.deepEqual(lines.map((l) => l.fields.second), ["1970-01-01T00:00:00.000Z"]);
        // Timers fire in order of their due time: second 0's (if still pending) long before
        // this one, second 1's long after it. No duration is asserted.
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(lines.length, 1, "second 1's summary waits for the end of second 1");
        access.flush();
        assert.deepEqual(lines.map((l) => [l.level, l.fields.second, l.fields.notLoggedByStatus]), [
            ["info", "1970-01-01T00:00:00.000Z", { 200: 1 }],
            ["error", "1970-01-01T00:00:01.000Z", { 503: 1 }],
        ]);
    });

    it("lists up to 10 distinct methods as they are", () => {
        const ten = Array.from({ length: 10 }, (_, i) => `m${i}`);
        assert.deepEqual(summarizeMethods(ten), ten);
    });
});

describe("task id from the ECS metadata endpoint (an in-process server on 127.0.0.1)", () => {
    let server: http.Server;
    let base: string;
    const seen: string[] = [];
    const replies: Record<string, [number, string]> = {
        "/ok/task": [200, JSON.stringify({ TaskARN: "arn:aws:ecs:us-east-1:123456789012:task/c/abc123" })],
        "/missing/task": [200, JSON.stringify({ Cluster: "c" })],
        "/null/task": [200, "null"],
        "/down/task": [503, JSON.stringify({ TaskARN: "arn:aws:ecs:us-east-1:123456789012:task/c/abc123" })],
        "/garbage/task": [200, "not json"],
    };

    before(async () => {
        server = http.createServer((req, res) => {
            seen.push(req.url ?? "");
            const [status, body] = replies[req.url ?? ""] ?? [404, ""];
            res.writeHead(status, { "content-type": "application/json" }).end(body);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("reads TaskARN from ${uri}/task, with or without trailing slashes on the uri", async () => {
        assert.equal(await fetchTaskId(`${base}/ok`), "abc123");
        assert.equal(await fetchTaskId(`${base}/ok//`), "abc123");
        assert.ok(seen.every((u) => u === "/ok/task"), seen.join());
    });

    it("never throws: undefined for a non-2xx answer, no TaskARN, null, bad JSON or no server", async () => {
        for (const path of ["/down", "/missing", "/null", "/garbage"]) assert.equal(await fetchTaskId(`${base}${path}`), undefined, path);
        assert.equal(await fetchTaskId("http://127.0.0.1:1"), undefined);
    });

    it("the host name stands in off ECS", () => {
        assert.equal(fallbackTaskId(), os.hostname());
    });
});

describe("cache policy: the never-cached list is anchored", () => {
    it("refuses the state-changing families, but not a method that merely contains such a name", () => {
        for (const bad of ["eth_sendRawTransaction", "eth_subscribe", "eth_getFilterChanges", "personal_sign", "evm_mine"]) assert.equal(parseCacheTtls(`${bad}=5`).ok, false, bad);
        for (const ok of ["x_eth_sendRawTransaction", "eth_subscribed", "eth_getFilterChangesCount", "my_personal_x"]) assert.equal(parseCacheTtls(`${ok}=5`).ok, true, ok);
    });
});
