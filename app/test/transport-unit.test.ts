/** Pure transport helpers: HSTS's reading of X-Forwarded-Proto. No servers. */
import assert from "node:assert/strict";
import { cameOverHttps } from "../lib/hsts";

describe("HSTS (lib/hsts.ts)", () => {
    it("reads X-Forwarded-Proto: https in any case, the first hop of a list, nothing else", () => {
        for (const yes of ["https", "HTTPS", " https ", "https, http", ["https", "http"]]) assert.equal(cameOverHttps(yes), true, JSON.stringify(yes));
        for (const no of [undefined, "", "http", "http, https", "wss", "httpss", [], ["http"]]) assert.equal(cameOverHttps(no), false, JSON.stringify(no));
    });
});
