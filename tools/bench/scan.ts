/**
 * `npm run bench:scan`: what the gateway's own scans of JSON text cost, in process, against
 * another build's: the depth check every request body and every upstream answer passes
 * (`jsonDepthExceeds`), and the raw-id scan of every request body (`rawIds`), with
 * `JSON.parse` of the same text beside them for scale.
 *
 *   npm run bench:scan -- --baseline <other checkout>/app/.next/standalone [--rounds 9]
 *
 * `--baseline` is any folder holding a production build's lib/*.js: a built app's
 * `.next/standalone`, or the image `npm run bench` staged (.tmp/bench/image-baseline).
 *
 * Without `--baseline` only this checkout's scans are timed. Rounds alternate between the
 * two builds; each figure is the median over rounds of ns per call (the host's speed drifts,
 * so a ratio is taken per round and its median printed too).
 */
import fs from "node:fs";
import path from "node:path";
import { buildModule } from "./ceiling-support";
import * as depth from "../../app/lib/json-depth";
import { MAX_JSON_DEPTH } from "../../app/lib/jsonrpc";
import * as ids from "../../app/lib/rpc-ids";
import { formatArgProblems, readInteger, scanArgs } from "../loadtest/args";
import { median } from "./report";

const USAGE = "Usage: npm run bench:scan -- [--baseline <another build's .next/standalone>] [--rounds <1-99>, default 9]";

interface Scans {
    readonly jsonDepthExceeds: typeof depth.jsonDepthExceeds;
    readonly rawIds: typeof ids.rawIds;
}

interface Sample {
    readonly name: string;
    readonly text: string;
    /** Request bodies get the raw-id scan too; upstream answers only the depth check. */
    readonly isRequest: boolean;
}

const hex = (bytes: number, seed: number): string => {
    let out = "0x";
    let x = seed;
    for (let i = 0; i < bytes; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        out += (x % 256).toString(16).padStart(2, "0");
    }
    return out;
};

function samples(): Sample[] {
    const missBody = JSON.stringify({ jsonrpc: "2.0", method: "eth_getBalance", params: [hex(20, 1), "latest"], id: 1 });
    const rawTx = JSON.stringify({ jsonrpc: "2.0", method: "eth_sendRawTransaction", params: [hex(50_000, 2)], id: 7 });
    const batch = JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ jsonrpc: "2.0", method: "eth_call", params: [{ to: hex(20, i), data: hex(68, i + 1) }, "latest"], id: i })));
    const log = (i: number): object => ({ address: hex(20, i), topics: [hex(32, i + 1), hex(32, i + 2), hex(32, i + 3)], data: hex(64, i + 4), blockNumber: "0x12a05f2", transactionHash: hex(32, i + 5), logIndex: `0x${i.toString(16)}`, removed: false });
    const logs = JSON.stringify({ jsonrpc: "2.0", id: 1, result: Array.from({ length: 8_000 }, (_, i) => log(i)) });
    return [
        { name: `eth_getBalance body (${missBody.length} B)`, text: missBody, isRequest: true },
        { name: `eth_sendRawTransaction body (${(rawTx.length / 1024).toFixed(0)} KiB)`, text: rawTx, isRequest: true },
        { name: `batch of 1,000 eth_call (${(batch.length / 1024).toFixed(0)} KiB)`, text: batch, isRequest: true },
        { name: `eth_getLogs answer, 8,000 logs (${(logs.length / 1024 / 1024).toFixed(1)} MiB)`, text: logs, isRequest: false },
    ];
}

/**
 * ns per call of `work` over about `budgetMs` of repeated calls. The clock is read once per
 * batch, and a batch grows until it takes at least 1 ms, so reading the clock does not
 * count in the time of a call that takes well under a microsecond.
 */
function nsPerCall(work: () => unknown, budgetMs: number): number {
    let batch = 1;
    let calls = 0;
    let sink = 0;
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(budgetMs) * 1_000_000n;
    let now = started;
    while (now < deadline) {
        const batchStarted = now;
        for (let i = 0; i < batch; i++) {
            sink += work() === undefined ? 0 : 1;
        }
        calls += batch;
        now = process.hrtime.bigint();
        if (now - batchStarted < 1_000_000n) {
            batch *= 2;
        }
    }
    if (sink < 0) {
        process.stdout.write("");
    }
    return Number(now - started) / calls;
}

function main(): void {
    const { values, flags, problems } = scanArgs(process.argv.slice(2), ["baseline", "rounds"] as const, ["help"]);
    if (flags.has("help")) {
        process.stdout.write(`${USAGE}\n`);
        return;
    }
    const rounds = readInteger(values.get("rounds") ?? "9", 1, 99);
    if (!("value" in rounds)) {
        problems.push({ option: "--rounds", given: values.get("rounds") ?? "", allowed: rounds.allowed });
    }
    if (problems.length > 0 || !("value" in rounds)) {
        process.stderr.write(`${formatArgProblems(problems, "bench:scan")}\n`);
        process.exit(2);
    }
    const baselineDir = values.get("baseline");
    const builds: [string, Scans][] = [["this checkout", { jsonDepthExceeds: depth.jsonDepthExceeds, rawIds: ids.rawIds }]];
    if (baselineDir !== undefined) {
        const dir = path.resolve(baselineDir);
        if (!fs.existsSync(path.join(dir, "lib", "json-depth.js")) || !fs.existsSync(path.join(dir, "lib", "rpc-ids.js"))) {
            process.stderr.write(`bench:scan: --baseline ${baselineDir}: no lib/json-depth.js and lib/rpc-ids.js there; give a built app's .next/standalone folder\n`);
            process.exit(2);
        }
        builds.push([`baseline (${dir})`, { jsonDepthExceeds: buildModule<typeof depth>(dir, "json-depth").jsonDepthExceeds, rawIds: buildModule<typeof ids>(dir, "rpc-ids").rawIds }]);
    }
    process.stdout.write(`bench:scan: node ${process.version}, ${rounds.value} alternating rounds; median ns per call\n`);
    for (const sample of samples()) {
        const budgetMs = Math.round(Math.min(300, Math.max(60, sample.text.length / 20_000)));
        const steps: [string, (s: Scans) => unknown][] = [["jsonDepthExceeds", (s) => s.jsonDepthExceeds(sample.text, MAX_JSON_DEPTH)]];
        if (sample.isRequest) {
            steps.push(["rawIds", (s) => s.rawIds(sample.text)]);
        }
        process.stdout.write(`\n${sample.name}\n`);
        const parseNs: number[] = [];
        for (const [step, run] of steps) {
            const perBuild = builds.map(() => [] as number[]);
            for (let r = 0; r < rounds.value; r++) {
                builds.forEach(([, scans], b) => perBuild[b].push(nsPerCall(() => run(scans), budgetMs)));
                if (step === "jsonDepthExceeds") {
                    parseNs.push(nsPerCall(() => JSON.parse(sample.text), budgetMs));
                }
            }
            const line = builds.map(([name], b) => `${name} ${median(perBuild[b]).toFixed(0)}`).join(" | ");
            const ratio = builds.length === 2 ? ` | baseline ÷ this, paired: ${median(perBuild[0].map((ns, r) => perBuild[1][r] / ns)).toFixed(1)}×` : "";
            process.stdout.write(`  ${step.padEnd(16)} ${line}${ratio}\n`);
        }
        process.stdout.write(`  ${"JSON.parse".padEnd(16)} ${median(parseNs).toFixed(0)}\n`);
    }
}

main();
