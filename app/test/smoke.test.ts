import assert from "node:assert/strict";
import { AppInstance } from "./support/app";
import { fixture, addEndpoint, uniqueId } from "./support/fixture";
import { request, rpc, json } from "./support/http";

describe("smoke", () => {
    it("starts and serves", async () => {
        const f = fixture();
        const t0 = Date.now();
        const app = await AppInstance.start(f, {}, "smoke");
        console.log("start ms", Date.now() - t0);
        const id = uniqueId("smoke");
        await addEndpoint(id, f.upstream.url);
        console.log((await request(app.port, "GET", "/api/health")).text);
        console.log((await request(app.port, "GET", "/api/ready")).text);
        const r1 = await rpc(app.port, id, { jsonrpc: "2.0", id: 1, method: "eth_chainId" });
        const r2 = await rpc(app.port, id, { jsonrpc: "2.0", id: 2, method: "eth_chainId" });
        console.log(r1.status, r1.headers["x-cache"], r1.text, r2.status, r2.headers["x-cache"], r2.text);
        const p = await request(app.port, "GET", "/");
        console.log(p.status, p.headers["x-instance-id"], p.text.slice(0, 100));
        const s = await request(app.port, "GET", "/robots.txt");
        console.log(s.status, s.text.slice(0, 60));
        assert.equal(json(r2) !== undefined, true);
        console.log("exit", await app.stop(), app.child.tail(2000));
    });
});
