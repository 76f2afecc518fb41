/** A missing or malformed variable stops the process at start with a message naming it. */
import assert from "node:assert/strict";
import { Child } from "../local/child";
import { contractEnv, STANDALONE } from "../local/app";
import { fixture } from "../local/fixture";
import { freePort } from "../local/ports";

async function startWith(env: Record<string, string | undefined>): Promise<Child> {
    const merged: Record<string, string> = { PATH: process.env.PATH ?? "" };
    for (const [k, v] of Object.entries({ ...contractEnv(fixture(), await freePort()), ...env })) {
        if (v !== undefined) {
            merged[k] = v;
        }
    }
    const child = new Child(process.execPath, ["server.js"], { cwd: STANDALONE, env: merged });
    const timer = setTimeout(() => child.proc.kill("SIGKILL"), 15_000);
    await child.exited;
    clearTimeout(timer);
    return child;
}

describe("start-up validation (production build)", () => {
    it("exits 1 naming every missing or malformed variable, without a stack trace", async () => {
        const child = await startWith({ PGHOST: undefined, DB_POOL_MAX: "lots", REDIS_URL: "http://x", PGSSLMODE: "prefer" });
        assert.equal(child.exitCode, 1, child.output);
        for (const name of ["PGHOST", "DB_POOL_MAX", "REDIS_URL", "PGSSLMODE"]) {
            assert.match(child.output, new RegExp(`^  ${name}: got `, "m"), child.output);
        }
        assert.match(child.output, /4 environment variable\(s\) invalid/);
        assert.doesNotMatch(child.output, /\n\s+at /, "no stack trace");
    });

    it("names a bad REDIS_URL without printing its password", async () => {
        const child = await startWith({ REDIS_URL: "redis://:s3cret-pw@" });
        assert.equal(child.exitCode, 1, child.output);
        assert.match(child.output, /^  REDIS_URL: got "redis:\/\/:\*\*\*@"; expected /m, child.output);
        assert.doesNotMatch(child.output, /s3cret-pw/);
    });
});
