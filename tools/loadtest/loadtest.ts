/**
 * `npm run loadtest -- --url <url> --rps 2000 --duration 60s [--endpoint <id>]`
 *
 * Load-tests a deployed fleet at a fixed arrival rate and exits 0 only when every
 * threshold holds (error rate, p95 latency, optionally how many instances answered).
 * See `--help` and tools/loadtest/args.ts for the options.
 */
import { formatArgProblems, LoadTestOptions, parseArgs, USAGE } from "./args";
import { jsonRpcBody, runLoad } from "./run";
import { evaluate, ms, pct, Summary, summarize, Verdict } from "./stats";

export const EXIT = { pass: 0, thresholdFailed: 1, usage: 2 } as const;

export interface Output {
    out(line: string): void;
    err(line: string): void;
}

export async function main(argv: readonly string[], io: Output): Promise<number> {
    const parsed = parseArgs(argv);
    if (parsed.kind === "help") {
        io.out(USAGE);
        return EXIT.pass;
    }
    if (parsed.kind === "error") {
        io.err(formatArgProblems(parsed.problems));
        return EXIT.usage;
    }
    const options = parsed.options;
    if (!options.json) {
        io.out(
            `loadtest: POST ${options.target.href} at ${options.rps} req/s for ${options.durationMs / 1000}s` +
                (options.warmupMs > 0 ? ` after ${options.warmupMs / 1000}s warm-up` : ""),
        );
    }
    const run = await runLoad({
        target: options.target,
        rps: options.rps,
        durationMs: options.durationMs,
        warmupMs: options.warmupMs,
        timeoutMs: options.timeoutMs,
        connections: options.connections,
        body: jsonRpcBody(options.rpcMethod),
    });
    const summary = summarize(run);
    const verdict = evaluate(summary, options.thresholds);
    if (options.json) {
        io.out(JSON.stringify({ target: options.target.href, rps: options.rps, summary, verdict }, null, 2));
    } else {
        io.out(formatReport(options, summary, verdict));
    }
    return verdict.passed ? EXIT.pass : EXIT.thresholdFailed;
}

export function formatReport(options: LoadTestOptions, s: Summary, verdict: Verdict): string {
    const lines: string[] = [];
    lines.push(`requests   ${s.scheduled} scheduled, ${s.answered} answered, ${s.errors} errors (${pct(s.errorRate)})`);
    lines.push(`rate       ${s.achievedRps.toFixed(1)} answers/s (asked ${options.rps}/s)`);
    const l = s.latencyMs;
    lines.push(
        `latency    p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}  max ${ms(l.max)}  mean ${ms(l.mean)}`,
    );
    lines.push(`outcomes   ${Object.entries(s.outcomes).map(([k, v]) => `${k}: ${v}`).join(", ") || "none"}`);
    lines.push(`instances  ${s.instances.length} answered (x-instance-id)`);
    for (const i of s.instances) {
        lines.push(`  ${i.id.padEnd(40)} ${String(i.count).padStart(8)}  ${pct(i.share).padStart(7)}`);
    }
    // The sender's own lag: when it is large, the generator (not the target) limited the
    // rate, and the figures describe this machine rather than the fleet.
    if (s.maxSendLagMs > 50) {
        lines.push(`warning    the sender fell ${ms(s.maxSendLagMs)} behind schedule; run it from a less loaded machine`);
    }
    for (const c of verdict.checks) {
        lines.push(`${c.passed ? "PASS" : "FAIL"}       ${c.name}: ${c.detail}`);
    }
    lines.push(verdict.passed ? "result     PASS" : "result     FAIL");
    return lines.join("\n");
}

if (require.main === module) {
    main(process.argv.slice(2), {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
    }).then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            process.stderr.write(`loadtest: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exitCode = EXIT.usage;
        },
    );
}
