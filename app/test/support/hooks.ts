/** Mocha root hooks: the real servers live for the whole run. */
import { startFixture, stopFixture } from "./fixture";

export const mochaHooks = {
    async beforeAll(this: Mocha.Context): Promise<void> {
        this.timeout(120_000);
        await startFixture();
    },
    async afterAll(this: Mocha.Context): Promise<void> {
        this.timeout(60_000);
        await stopFixture();
    },
};
