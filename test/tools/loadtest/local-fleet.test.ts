/**
 * Whether a local fleet can start: the same PostgreSQL discovery as the app's local
 * servers (app/local/pg-bin.ts), not a fixed version. Issue 12: loadtest:local insisted on
 * /usr/lib/postgresql/15/bin and refused to start where only 16 is installed (Ubuntu 24.04).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { locatePgBin } from "../../../app/local/pg-bin";
import { localFleetProblems } from "../../../tools/fleet-local/fleet";
import { takeFleetArgs } from "../../../tools/loadtest/local-fleet";

function fakeRoot(versions: readonly string[]): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "webfleet-pgroot-"));
    for (const v of versions) {
        fs.mkdirSync(path.join(root, v, "bin"), { recursive: true });
        fs.writeFileSync(path.join(root, v, "bin", "postgres"), "");
    }
    return root;
}

describe("local fleet: finding PostgreSQL", () => {
    const roots: string[] = [];
    after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
    const root = (versions: readonly string[]): string => {
        const r = fakeRoot(versions);
        roots.push(r);
        return r;
    };
    const pgProblems = (env: Record<string, string>, pgRoot: string): string[] =>
        localFleetProblems({ lb: "proxy", env, pgRoot }).filter((p) => /postgres|PG_BIN/i.test(p));

    it("accepts a machine where only PostgreSQL 16 is installed", () => {
        assert.deepEqual(pgProblems({}, root(["16"])), []);
    });

    it("says where it looked when no server is installed", () => {
        const r = root([]);
        assert.deepEqual(pgProblems({}, r), [`no PostgreSQL server under ${r}/<version>/bin; run \`npm run setup\` or set PG_BIN`]);
    });

    it("picks the newest major numerically (16 over 15 and 9)", () => {
        const r = root(["9", "15", "16"]);
        assert.deepEqual(locatePgBin({}, r), { ok: true, bin: path.join(r, "16", "bin") });
    });

    it("honours PG_BIN, and names it when it holds no server", () => {
        const r = root(["15"]);
        assert.deepEqual(locatePgBin({ PG_BIN: path.join(r, "15", "bin") }, "/nonexistent"), { ok: true, bin: path.join(r, "15", "bin") });
        const bad = locatePgBin({ PG_BIN: "/nowhere/bin" }, r);
        assert.equal(bad.ok, false);
        assert.match(pgProblems({ PG_BIN: "/nowhere/bin" }, r)[0] ?? "", /PG_BIN=\/nowhere\/bin has no `postgres`/);
    });
});

describe("loadtest:local arguments", () => {
    it("takes --instances and --lb, passing the rest to the load test", () => {
        assert.deepEqual(takeFleetArgs(["--rps", "5", "--instances", "3", "--lb", "proxy", "--json"]), { instances: 3, lb: "proxy", rest: ["--rps", "5", "--json"] });
        assert.deepEqual(takeFleetArgs(["--rps", "5"]), { instances: 2, lb: "haproxy", rest: ["--rps", "5"] });
    });

    it("names every bad value and what is allowed", () => {
        const r = takeFleetArgs(["--instances", "nine", "--lb", "nginx"]);
        assert.ok("problems" in r);
        assert.match(r.problems, /--instances = "nine": an integer from 1 to 8/);
        assert.match(r.problems, /--lb = "nginx": one of haproxy, proxy/);
    });
});
