/**
 * Edges of app/lib's pure modules that the mutation run (docs/MUTATION.md) found unpinned:
 * CORS, answer matching, request and task ids, HSTS, JSON-RPC error text. No servers.
 */
import assert from "node:assert/strict";
import { corsHeaders, parseCorsOrigins, preflightHeaders } from "../lib/cors";
import { HSTS_HEADER, HSTS_VALUE } from "../lib/hsts";
import { parseBody, rpcErrorText } from "../lib/jsonrpc";
import { requestIds } from "../lib/request-id";
import { taskIdFromArn } from "../lib/task-id";
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
