/**
 * The original plan's verification, built in: send N JSON-RPC requests one after another,
 * each on a new connection (as a `curl` loop does), and show which instance answered each
 * (`x-instance-id`) and the spread.
 *
 *   npm run fleet:check -- --url http://127.0.0.1:8080 [--endpoint sample] [--requests 20] [--min-instances 2]
 *
 * Works against any fleet (the local one, or a deployed one's load balancer). Exit 0 when
 * every request got HTTP 200 and at least --min-instances instances answered; 1 otherwise;
 * 2 on bad arguments.
 */
import http from "node:http";
import https from "node:https";
import { ArgProblem, formatArgProblems, gatewayUrl, readEndpoint, readInteger, readUrl, scanArgs } from "../loadtest/args";
import { INSTANCE_HEADER, jsonRpcBody } from "../loadtest/run";

export interface CheckResult {
    readonly requests: number;
    /** HTTP status → count. */
    readonly statuses: ReadonlyMap<number, number>;
    /** Transport failures (no HTTP answer), with the message. */
    readonly failures: readonly string[];
    /** x-instance-id → answers, in order of first answer. */
    readonly spread: ReadonlyMap<string, number>;
    /** One line per request: status and instance. */
    readonly lines: readonly string[];
}

function post(target: URL, body: string, timeoutMs: number): Promise<{ status: number; instance: string | undefined }> {
    const client = target.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
        const req = client.request(
            target,
            { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } },
            (res) => {
                res.resume();
                res.on("end", () => {
                    const id = res.headers[INSTANCE_HEADER];
                    resolve({ status: res.statusCode ?? 0, instance: Array.isArray(id) ? id[0] : id });
                });
                res.on("error", reject);
            },
        );
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on("error", reject);
        req.end(body);
    });
}

export async function checkSpread(target: URL, requests: number, timeoutMs = 10_000): Promise<CheckResult> {
    const statuses = new Map<number, number>();
    const spread = new Map<string, number>();
    const failures: string[] = [];
    const lines: string[] = [];
    const body = jsonRpcBody("eth_blockNumber");
    for (let i = 1; i <= requests; i++) {
        try {
            const r = await post(target, body, timeoutMs);
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            const id = r.instance ?? "(no x-instance-id)";
            spread.set(id, (spread.get(id) ?? 0) + 1);
            lines.push(`Request ${i}: ${r.status} ${id}`);
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            failures.push(message);
            lines.push(`Request ${i}: failed (${message})`);
        }
    }
    return { requests, statuses, failures, spread, lines };
}

/** True when every request got a 200 and at least `minInstances` instances answered. */
export function checkPassed(r: CheckResult, minInstances: number): boolean {
    return r.failures.length === 0 && (r.statuses.get(200) ?? 0) === r.requests && r.spread.size >= minInstances;
}

export function formatCheck(r: CheckResult, minInstances: number): string[] {
    const ok = r.statuses.get(200) ?? 0;
    const out = [...r.lines, "", `spread over ${r.spread.size} instance(s) (${INSTANCE_HEADER}):`];
    for (const [id, n] of r.spread) {
        out.push(`  ${id.padEnd(32)} ${String(n).padStart(5)}  ${"#".repeat(n)}`);
    }
    const statuses = [...r.statuses].map(([s, n]) => `${s}×${n}`).join(" ") || "none";
    out.push(`${ok} of ${r.requests} answered 200 (statuses ${statuses}; ${r.failures.length} without an answer)`);
    out.push(checkPassed(r, minInstances) ? "check PASS" : `check FAIL (needs every request answered 200 by at least ${minInstances} instance(s))`);
    return out;
}

export const CHECK_USAGE = `Usage: npm run fleet:check -- --url <url> [--endpoint <id>] [--requests <n>] [--min-instances <n>]

Sends <n> JSON-RPC requests (eth_blockNumber) to <url>/api/gateway?endpoint=<id>, one after
another on new connections, and shows which instance answered each (x-instance-id).

  --url <url>            the fleet's base URL, e.g. http://127.0.0.1:8080 (required)
  --endpoint <id>        registered endpoint id (default sample, the local fleet's)
  --requests <n>         1..10000 (default 20)
  --min-instances <n>    fail unless this many distinct instances answered (default 2)
  --help                 this text

Exit code: 0 every request answered 200 by enough instances, 1 otherwise, 2 bad arguments.`;

export type CheckArgs =
    | { readonly kind: "ok"; readonly target: URL; readonly requests: number; readonly minInstances: number }
    | { readonly kind: "help" }
    | { readonly kind: "error"; readonly problems: readonly ArgProblem[] };

export function parseCheckArgs(argv: readonly string[]): CheckArgs {
    const { values, flags, problems } = scanArgs(argv, ["url", "endpoint", "requests", "min-instances"] as const, ["help"]);
    if (flags.has("help")) {
        return { kind: "help" };
    }
    const read = <T>(name: "url" | "endpoint" | "requests" | "min-instances", fallback: string | undefined, parse: (raw: string) => { value: T } | { allowed: string }): T | undefined => {
        const raw = values.get(name) ?? fallback;
        if (raw === undefined) {
            problems.push({ option: `--${name}`, given: "(unset)", allowed: "required" });
            return undefined;
        }
        const parsed = parse(raw);
        if ("allowed" in parsed) {
            problems.push({ option: `--${name}`, given: raw, allowed: parsed.allowed });
            return undefined;
        }
        return parsed.value;
    };
    const url = read("url", undefined, readUrl);
    const endpoint = read("endpoint", "sample", readEndpoint);
    const requests = read("requests", "20", (raw) => readInteger(raw, 1, 10_000));
    const minInstances = read("min-instances", "2", (raw) => readInteger(raw, 0, 1000));
    if (problems.length > 0 || url === undefined || endpoint === undefined || requests === undefined || minInstances === undefined) {
        return { kind: "error", problems };
    }
    return { kind: "ok", target: gatewayUrl(url, endpoint), requests, minInstances };
}

export async function checkMain(argv: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
    const args = parseCheckArgs(argv);
    if (args.kind === "help") {
        out(CHECK_USAGE);
        return 0;
    }
    if (args.kind === "error") {
        err(formatArgProblems(args.problems, "fleet:check"));
        return 2;
    }
    out(`fleet:check: ${args.requests} × POST ${args.target.href}`);
    const result = await checkSpread(args.target, args.requests);
    for (const line of formatCheck(result, args.minInstances)) {
        out(line);
    }
    return checkPassed(result, args.minInstances) ? 0 : 1;
}

if (require.main === module) {
    checkMain(process.argv.slice(2), (l) => process.stdout.write(`${l}\n`), (l) => process.stderr.write(`${l}\n`)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`fleet:check: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exitCode = 2;
        },
    );
}
