import { startFleet } from "../tools/fleet-local/fleet";
import { request } from "../app/local/http";
import { startLoad } from "../app/local/load";
import { waitFor, sleep } from "../app/local/ports";

async function drill(lb: "haproxy" | "proxy", signal: NodeJS.Signals): Promise<string> {
    const logs: string[] = [];
    const fleet = await startFleet({ replicas: 3, port: 0, maxConnections: 60, poolPerTask: 8, lb, log: (l) => logs.push(l) });
    try {
        await fleet.waitAllUp();
        const port = Number(new URL(fleet.url).port);
        let failed = 0;
        const load = startLoad({ concurrency: 8, durationMs: 600_000, maxRequests: 1e9, send: async (n) => {
            const r = await request(port, "POST", "/api/gateway?endpoint=sample", JSON.stringify({ jsonrpc: "2.0", method: "eth_chainId", params: [], id: n }), { agent: false }).catch((e) => { failed++; throw e; });
            if (r.status !== 200) failed++;
            return r;
        }});
        await waitFor("200", async () => load.result.total >= 200, 60_000, 10);
        const victim = fleet.instances()[1];
        const t0 = Date.now();
        process.kill(victim.pid!, signal);
        // until the replacement is running and up again (haproxy) or 8 s (proxy)
        await waitFor("rejoin", async () => (await fleet.balancerState()).find((s) => s.name === victim.id)?.status === "UP" && logs.some((l) => l.includes("replacement running")), 120_000, 100).catch(() => undefined);
        const rejoinS = (Date.now() - t0) / 1000;
        await sleep(500);
        load.stop();
        await load.done;
        const downLine = logs.find((l) => l.includes("balancer marked it down")) ?? "(no down line)";
        return `${lb} ${signal}: ${failed} failed of ${load.result.total}; statuses ${JSON.stringify([...load.result.statuses])}; rejoined after ${rejoinS.toFixed(1)} s; ${downLine}`;
    } finally {
        await fleet.stop();
    }
}

(async () => {
    const lbs = (process.argv[2] ?? "haproxy").split(",") as ("haproxy" | "proxy")[];
    const sigs = (process.argv[3] ?? "SIGKILL").split(",") as NodeJS.Signals[];
    const n = Number(process.argv[4] ?? 3);
    for (const lb of lbs) for (const sig of sigs) for (let i = 0; i < n; i++) console.log(await drill(lb, sig));
})();
