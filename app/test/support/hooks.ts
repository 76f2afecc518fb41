/** Mocha root hooks: the real servers live for the whole run. */
import { AppInstance } from "../../local/app";
import { fixture, startFixture, stopFixture } from "../../local/fixture";

/**
 * The production default REDIS_COMMAND_TIMEOUT_MS (250 ms) serves a slower Redis reply as
 * a cache BYPASS, by design. On a loaded test machine a reply can take that long, and a
 * test of cache behaviour would then see an upstream call it did not expect (seen: the
 * re-pointed-endpoint test at load average 12). No test here relies on that timeout
 * firing (a stopped Redis closes its connections, which is answered at once), so test
 * instances wait longer; a test can still set its own.
 */
AppInstance.baseEnv = { REDIS_COMMAND_TIMEOUT_MS: "5000" };

export const mochaHooks = {
    async beforeAll(this: Mocha.Context): Promise<void> {
        this.timeout(120_000);
        await startFixture();
    },
    /** Each test starts with a healthy upstream and zeroed call counters. */
    beforeEach(): void {
        fixture().upstream.reset();
    },
    async afterAll(this: Mocha.Context): Promise<void> {
        this.timeout(60_000);
        await stopFixture();
    },
};
