/**
 * What logging and metrics add to one request, in CPU time, without servers:
 *
 *   npx ts-node -T tools/bench/observe-cost.ts [requests]
 *
 * Runs the app's own `observe` (app/lib/observe.ts: access line through pino with the
 * deployed limit of 100 lines/s, metrics recorded and flushed as EMF every second) for
 * `requests` synthetic cache-hit answers, against the same loop with logging and metrics
 * off (LOG_LEVEL=silent, METRICS_FLUSH_S=0), alternating rounds, output to /dev/null.
 * Prints the median CPU µs per request of each and the difference. On a shared machine
 * CPU time (process.cpuUsage) is steadier than wall-clock req/s.
 */
import fs from "node:fs";
import { newTrace } from "../../app/lib/api";
import { readConfig } from "../../app/lib/env";
import { createObservability } from "../../app/lib/observe";

const requests = Number(process.argv[2] ?? 200_000);
const env = {
    PORT: "3000", HOSTNAME: "127.0.0.1", PGHOST: "127.0.0.1", PGPORT: "5432", PGDATABASE: "x", PGUSER: "x", PGPASSWORD: "x",
    PGSSLMODE: "disable", DB_POOL_MAX: "10", REDIS_URL: "redis://127.0.0.1:6379",
};
const pool: Parameters<typeof createObservability>[1] = { totalCount: 3, idleCount: 2, waitingCount: 0 };
async function* noBody(): AsyncIterable<Uint8Array> {
    // observe() never reads the body.
}
const answer = { status: 200, headers: { "content-type": "application/json; charset=utf-8", "x-cache": "HIT" }, body: "{}" };

function round(on: boolean): number {
    const parsed = readConfig({ ...env, ...(on ? { METRICS_FLUSH_S: "1", ACCESS_LOG_MAX_PER_S: "100" } : { LOG_LEVEL: "silent", METRICS_FLUSH_S: "0" }) });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const obs = createObservability(parsed.config, pool);
    const started = process.cpuUsage();
    const t0 = Date.now();
    for (let i = 0; i < requests; i += 1) {
        const trace = newTrace("/api/gateway", { requestId: `r-${i}` });
        trace.endpointId = "bench";
        trace.rpcMethods = ["eth_chainId"];
        trace.batchSize = 1;
        obs.observe({ method: "POST", search: "endpoint=bench", contentLength: 50, body: noBody(), headers: {}, trace }, answer, 0.8);
        if (on && i % 20_000 === 0 && Date.now() - t0 > 0) obs.metrics.flush();
    }
    obs.close();
    const used = process.cpuUsage(started);
    return (used.user + used.system) / requests;
}

// Keep stdout for the result: the app's lines go to /dev/null.
const devNull = fs.openSync("/dev/null", "w");
const realWrite = process.stdout.write.bind(process.stdout);
const results = { on: [] as number[], off: [] as number[] };
process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    if (typeof chunk === "string") fs.writeSync(devNull, chunk);
    else fs.writeSync(devNull, chunk);
    return true;
}) as typeof process.stdout.write;
for (let r = 0; r < 7; r += 1) {
    results.on.push(round(true));
    results.off.push(round(false));
}
process.stdout.write = realWrite;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const on = median(results.on);
const off = median(results.off);
process.stdout.write(`observe() per request, median of 7 rounds of ${requests}: on ${on.toFixed(2)} µs CPU, off ${off.toFixed(2)} µs CPU, cost ${(on - off).toFixed(2)} µs\n`);
