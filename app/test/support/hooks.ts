/** Mocha root hooks: the real servers live for the whole run. */
import { fixture, startFixture, stopFixture } from "../../local/fixture";

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
