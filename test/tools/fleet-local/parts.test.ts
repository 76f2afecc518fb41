/**
 * The pure parts of fleet:local: its command line, the budget it sizes pools with, the
 * HAProxy configuration it writes and the admin-socket answers it reads, and fleet:check's
 * verdict. No server is started here.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { planCapacity } from "../../../lib/capacity";
import { localCapacity, projectBudgetDefaults } from "../../../tools/fleet-local/budget";
import { CheckResult, checkPassed, parseCheckArgs } from "../../../tools/fleet-local/check";
import { fleetMain, parseFleetArgs } from "../../../tools/fleet-local/fleet-local";
import { haproxyConfig, parseStat } from "../../../tools/fleet-local/haproxy";

describe("fleet:local arguments", () => {
    it("defaults to 4 replicas on port 8080, max_connections 60, HAProxy", () => {
        assert.deepEqual(parseFleetArgs([]), { kind: "ok", args: { replicas: 4, port: 8080, maxConnections: 60, lb: "haproxy", check: false, docker: false, image: "webfleet-web:test" } });
        assert.deepEqual(parseFleetArgs(["--replicas=3", "--port", "9000", "--lb", "proxy", "--check"]), {
            kind: "ok",
            args: { replicas: 3, port: 9000, maxConnections: 60, lb: "proxy", check: true, docker: false, image: "webfleet-web:test" },
        });
        assert.deepEqual(parseFleetArgs(["--help", "--bogus"]), { kind: "help" });
    });

    for (const [argv, option, allowed] of [
        [["--replicas", "0"], "--replicas", "an integer from 1 to 16"],
        [["--replicas", "four"], "--replicas", "an integer from 1 to 16"],
        [["--port", "70000"], "--port", "an integer from 1 to 65535"],
        [["--max-connections", "5"], "--max-connections", "an integer from 10 to 1000"],
        [["--lb", "nginx"], "--lb", "one of haproxy, proxy"],
        [["--replica", "4"], "--replica", "one of --replicas"],
        [["--check=yes"], "--check", "a flag without a value"],
        [["--image", "x:1"], "--image", "only with --docker"],
        [["--docker", "--image", "Bad Image"], "--image", "a Docker image reference"],
    ] as const) {
        it(`refuses ${argv.join(" ")}, naming ${option}`, () => {
            const r = parseFleetArgs(argv);
            assert.equal(r.kind, "error");
            assert.ok(r.kind === "error" && r.problems.some((p) => p.option === option && p.allowed.startsWith(allowed)), JSON.stringify(r));
        });
    }

    it("refuses a replica count the budget cannot hold, before starting anything", async () => {
        let err = "";
        const code = await fleetMain(["--replicas", "8", "--max-connections", "60"], () => undefined, (l) => (err += l));
        assert.equal(code, 2);
        assert.match(err, /--replicas 8 does not fit --max-connections 60/);
        assert.match(err, /peak tasks 16 .* = 90 connections, but dbMaxConnections is 60/);
    });
});

describe("fleet:local budget", () => {
    const defaults = projectBudgetDefaults();

    it("takes Pulumi.yaml's defaults for everything but replicas and max_connections", () => {
        assert.deepEqual(defaults, { deploymentMaximumPercent: 200, dbReservedConnections: 10, dbPoolMaxPerTask: 50, dbPoolMinPerTask: 5 });
    });

    it("is the cloud budget with autoscaling off: 3 replicas and 60 connections give 8 per instance", () => {
        const r = localCapacity(3, 60, defaults);
        assert.ok(r.ok);
        assert.equal(r.plan.poolPerTask, 8);
        assert.equal(r.plan.peakConnections, 58);
    });

    it("equals planCapacity with maxReplicas = replicas, for every replica count and max_connections", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 10, max: 1000 }), (replicas, m) => {
                assert.deepEqual(localCapacity(replicas, m, defaults), planCapacity({ replicas, maxReplicas: replicas, dbMaxConnections: m, ...defaults }));
            }),
        );
    });
});

describe("fleet:local HAProxy configuration", () => {
    const cfg = haproxyConfig({ port: 8080, socket: "/tmp/x/haproxy.sock", backends: [{ name: "local-1", port: 4001 }, { name: "local-2", port: 4002 }] });

    it("listens on loopback only and health-checks /api/health every second (2 failures out, 2 successes in)", () => {
        assert.match(cfg, /^\s+bind 127\.0\.0\.1:8080$/m);
        assert.match(cfg, /http-check send meth GET uri \/api\/health/);
        assert.match(cfg, /default-server check inter 1s fall 2 rise 2/);
        assert.deepEqual(cfg.match(/^\s+server .*$/gm)?.map((l) => l.trim()), ["server local-1 127.0.0.1:4001", "server local-2 127.0.0.1:4002"]);
    });

    it("retries only refused connections (the request never reached an instance), on another instance", () => {
        assert.match(cfg, /retry-on conn-failure$/m);
        assert.match(cfg, /option redispatch 1/);
        assert.doesNotMatch(cfg, /retry-on .*(empty-response|response-timeout|all-retryable)/);
    });

    it("reads server states from `show stat`, skipping the frontend and backend rows", () => {
        const csv = [
            "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight",
            "web,FRONTEND,,,0,1,4096,12,,,,,,,,,,OPEN,",
            "instances,local-1,0,0,1,3,,120,,,,,,,,,,UP,1",
            "instances,local-2,0,0,0,2,,80,,,,,,,,,,DOWN,1",
            "instances,BACKEND,0,0,1,3,,200,,,,,,,,,,UP,2",
            "",
        ].join("\n");
        assert.deepEqual(parseStat(csv), [
            { name: "local-1", status: "UP", sent: 120, current: 1 },
            { name: "local-2", status: "DOWN", sent: 80, current: 0 },
        ]);
        assert.throws(() => parseStat("# pxname,svname\n"), /no status column/);
    });
});

describe("fleet:check", () => {
    const result = (statuses: [number, number][], spread: [string, number][], failures: string[] = []): CheckResult => ({
        requests: 20,
        statuses: new Map(statuses),
        spread: new Map(spread),
        failures,
        lines: [],
    });

    it("passes only when every request got 200 from at least the required instances", () => {
        assert.equal(checkPassed(result([[200, 20]], [["a", 10], ["b", 10]]), 2), true);
        assert.equal(checkPassed(result([[200, 20]], [["a", 20]]), 2), false);
        assert.equal(checkPassed(result([[200, 19], [502, 1]], [["a", 10], ["b", 10]]), 2), false);
        assert.equal(checkPassed(result([[200, 19]], [["a", 10], ["b", 9]], ["ECONNRESET"]), 2), false);
    });

    it("defaults to the sample endpoint and 20 requests, and names bad input", () => {
        const ok = parseCheckArgs(["--url", "http://127.0.0.1:8080"]);
        assert.ok(ok.kind === "ok");
        assert.equal(ok.target.href, "http://127.0.0.1:8080/api/gateway?endpoint=sample");
        assert.equal(ok.requests, 20);
        const bad = parseCheckArgs(["--requests", "0"]);
        assert.ok(bad.kind === "error");
        assert.deepEqual(bad.problems.map((p) => p.option).sort(), ["--requests", "--url"]);
    });
});
