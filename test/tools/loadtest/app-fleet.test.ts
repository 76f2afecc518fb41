/**
 * The load test against two real instances of the production build behind the
 * round-robin proxy, with real Postgres and Redis (the app's test support). Skipped,
 * saying why, where the app is not built or the servers are not installed.
 */
import assert from "node:assert/strict";
import { main } from "../../../tools/loadtest/loadtest";
import { LocalFleet, localFleetUnavailable, startLocalFleet } from "../../../tools/loadtest/local-fleet";

async function loadtest(args: string[]): Promise<{ code: number; out: string }> {
    let out = "";
    const code = await main(args, { out: (l) => (out += `${l}\n`), err: (l) => (out += `${l}\n`) });
    return { code, out };
}

describe("loadtest against two real app instances behind a round-robin proxy", function () {
    this.timeout(120_000);
    let fleet: LocalFleet | undefined;

    before(async function () {
        const unavailable = localFleetUnavailable();
        if (unavailable !== null) {
            this.skip();
        }
        fleet = await startLocalFleet(2);
    });

    after(async () => {
        await fleet?.stop();
    });

    function base(): string[] {
        assert.ok(fleet);
        return ["--url", fleet.url, "--endpoint", fleet.endpointId];
    }

    it("passes at 300 req/s for 2 s with both instances answering half each", async () => {
        assert.ok(fleet);
        const { code, out } = await loadtest([...base(), "--rps", "300", "--duration", "2s", "--min-instances", "2"]);
        assert.equal(code, 0, out);
        for (const id of fleet.instanceIds) {
            assert.match(out, new RegExp(`${id}\\s+300\\s+50\\.00%`), out);
        }
    });

    it("fails the error-rate threshold when the upstream fails (gateway answers 502)", async () => {
        assert.ok(fleet);
        fleet.failUpstream(true);
        try {
            // eth_getBalance is not cached, so every request reaches the failing upstream.
            const { code, out } = await loadtest([...base(), "--rps", "100", "--duration", "1s", "--method", "eth_getBalance"]);
            assert.equal(code, 1, out);
            assert.match(out, /FAIL\s+error rate: 100\.00%/);
        } finally {
            fleet.failUpstream(false);
        }
    });
});
