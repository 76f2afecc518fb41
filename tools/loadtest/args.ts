/**
 * Command-line arguments of `npm run loadtest`. Parsing is pure (argv in, options or a
 * list of problems out) so the table of bad inputs is tested without starting anything.
 * Every problem names the option, what was given and what is allowed; all problems are
 * reported together, like the program's config validation.
 */
import type { RunConfig } from "./run";

/** The run's shape (target, rate, timings) plus what only the CLI decides. */
export interface LoadTestOptions extends Omit<RunConfig, "body" | "instanceHeader"> {
    /** JSON-RPC method put in every request body. */
    readonly rpcMethod: string;
    readonly thresholds: Thresholds;
    /** Print the report as JSON instead of text. */
    readonly json: boolean;
}

export interface Thresholds {
    /** Fraction 0..1: failed requests / scheduled requests must stay below this. */
    readonly maxErrorRate: number;
    /** p95 latency (from scheduled start) must stay below this, in milliseconds. */
    readonly maxP95Ms: number;
    /** At least this many distinct `x-instance-id` values must answer (0 = not checked). */
    readonly minInstances: number;
}

export interface ArgProblem {
    readonly option: string;
    readonly given: string;
    readonly allowed: string;
}

/** A reader's answer: the value, or what is allowed (the caller adds option and input). */
export type Parsed<T> = { readonly value: T } | { readonly allowed: string };

export type ParseResult =
    | { readonly kind: "ok"; readonly options: LoadTestOptions }
    | { readonly kind: "help" }
    | { readonly kind: "error"; readonly problems: readonly ArgProblem[] };

export const DEFAULT_PATH = "/api/gateway";

export const USAGE = `Usage: npm run loadtest -- --url <url> --rps <n> --duration <time> [options]

Sends POST JSON-RPC requests to <url>${DEFAULT_PATH} at a fixed arrival rate (open model:
request i starts at i/rps whatever happened to earlier ones, and its latency is measured
from that scheduled time, so a slow server cannot hide latency by slowing the sender).

Required:
  --url <url>              http(s) base URL of the fleet (its ALB), e.g. https://gw.example.com
                           A URL with a path other than "/" is used as the full request path.
  --rps <n>                requests per second, integer 1..50000
  --duration <time>        measured time, e.g. 60s, 2m, 500ms (max 1h)

Options:
  --endpoint <id>          gateway endpoint id, sent as ?endpoint=<id> ([A-Za-z0-9_-], 1..128)
  --method <name>          JSON-RPC method (default eth_blockNumber)
  --warmup <time>          unmeasured warm-up at the same rate before measuring (default 0s)
  --timeout <time>         a request unanswered this long after its scheduled start fails (default 10s)
  --connections <n>        maximum sockets to the target, 1..10000 (default 512)
  --max-error-rate <r>     fail if errors / requests >= r; 0.01 or 1% (default 1%)
  --max-p95 <time>         fail if p95 latency >= this (default 500ms)
  --min-instances <n>      fail if fewer distinct x-instance-id values answered (default 0: off)
  --json                   print the report as JSON
  --help                   this text

Exit code: 0 all thresholds met, 1 a threshold failed, 2 bad arguments or the run could not start.`;

const DEFAULTS = {
    warmup: "0s",
    timeout: "10s",
    connections: "512",
    method: "eth_blockNumber",
    maxErrorRate: "1%",
    maxP95: "500ms",
    minInstances: "0",
} as const;

const VALUE_OPTIONS = [
    "url",
    "rps",
    "duration",
    "endpoint",
    "method",
    "warmup",
    "timeout",
    "connections",
    "max-error-rate",
    "max-p95",
    "min-instances",
] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];
const FLAG_OPTIONS = ["json", "help"] as const;

const MAX_RPS = 50_000;
const MAX_DURATION_MS = 3_600_000;

/** What the command line said, before any value is checked. */
export interface ScannedArgs<V extends string> {
    readonly values: Map<V, string>;
    /** Every value of each repeatable option, in order. */
    readonly lists: Map<V, string[]>;
    readonly flags: Set<string>;
    readonly problems: ArgProblem[];
}

/**
 * Splits `--name value` and `--name=value` pairs and bare `--flag`s. Hand-written rather
 * than `util.parseArgs` so that each mistake (unknown option, missing value, repeated
 * option) becomes one problem in the same list as the value checks. Shared by every
 * tool's command line (loadtest, fleet:local, fleet:check, plan).
 */
export function scanArgs<V extends string>(
    argv: readonly string[],
    valueOptions: readonly V[],
    flagOptions: readonly string[],
    repeatable: readonly V[] = [],
): ScannedArgs<V> {
    const problems: ArgProblem[] = [];
    const values = new Map<V, string>();
    const lists = new Map<V, string[]>();
    const flags = new Set<string>();
    const isValue = (name: string): name is V => (valueOptions as readonly string[]).includes(name);

    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith("--")) {
            problems.push({ option: "(positional)", given: arg, allowed: "options only, each as --name value" });
            continue;
        }
        const eq = arg.indexOf("=");
        const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
        if (flagOptions.includes(name)) {
            if (eq !== -1) {
                problems.push({ option: `--${name}`, given: arg, allowed: "a flag without a value" });
            }
            flags.add(name);
            continue;
        }
        if (!isValue(name)) {
            const known = [...valueOptions, ...flagOptions].map((o) => `--${o}`).join(", ");
            problems.push({ option: `--${name}`, given: arg, allowed: `one of ${known}` });
            continue;
        }
        let value: string | undefined;
        if (eq !== -1) {
            value = arg.slice(eq + 1);
        } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
            value = argv[++i];
        }
        if (value === undefined) {
            problems.push({ option: `--${name}`, given: "(no value)", allowed: "a value after the option" });
            continue;
        }
        if (repeatable.includes(name)) {
            lists.set(name, [...(lists.get(name) ?? []), value]);
            continue;
        }
        if (values.has(name)) {
            problems.push({ option: `--${name}`, given: value, allowed: "the option once" });
            continue;
        }
        values.set(name, value);
    }
    return { values, lists, flags, problems };
}

/** Parses the load test's command line: options, help, or every problem at once. */
export function parseArgs(argv: readonly string[]): ParseResult {
    const { values, flags, problems } = scanArgs(argv, VALUE_OPTIONS, FLAG_OPTIONS);

    if (flags.has("help")) {
        return { kind: "help" };
    }

    const field = <T>(name: ValueOption, fallback: string | undefined, read: (raw: string) => Parsed<T>): T | undefined => {
        const raw = values.get(name) ?? fallback;
        if (raw === undefined) {
            problems.push({ option: `--${name}`, given: "(unset)", allowed: "required" });
            return undefined;
        }
        const parsed = read(raw);
        if ("allowed" in parsed) {
            problems.push({ option: `--${name}`, given: raw, allowed: parsed.allowed });
            return undefined;
        }
        return parsed.value;
    };

    const base = field("url", undefined, readUrl);
    const rps = field("rps", undefined, (raw) => readInteger(raw, 1, MAX_RPS));
    const durationMs = field("duration", undefined, (raw) => readDuration(raw, 1, MAX_DURATION_MS));
    const warmupMs = field("warmup", DEFAULTS.warmup, (raw) => readDuration(raw, 0, MAX_DURATION_MS));
    const timeoutMs = field("timeout", DEFAULTS.timeout, (raw) => readDuration(raw, 1, 120_000));
    const connections = field("connections", DEFAULTS.connections, (raw) => readInteger(raw, 1, 10_000));
    const rpcMethod = field("method", DEFAULTS.method, readRpcMethod);
    const maxErrorRate = field("max-error-rate", DEFAULTS.maxErrorRate, readRate);
    const maxP95Ms = field("max-p95", DEFAULTS.maxP95, (raw) => readDuration(raw, 1, 120_000));
    const minInstances = field("min-instances", DEFAULTS.minInstances, (raw) => readInteger(raw, 0, 1000));
    const endpoint = values.has("endpoint") ? field("endpoint", undefined, readEndpoint) : null;

    if (
        problems.length > 0 ||
        base === undefined ||
        rps === undefined ||
        durationMs === undefined ||
        warmupMs === undefined ||
        timeoutMs === undefined ||
        connections === undefined ||
        rpcMethod === undefined ||
        maxErrorRate === undefined ||
        maxP95Ms === undefined ||
        minInstances === undefined ||
        endpoint === undefined
    ) {
        return { kind: "error", problems };
    }
    return {
        kind: "ok",
        options: {
            target: gatewayUrl(base, endpoint),
            rps,
            durationMs,
            warmupMs,
            timeoutMs,
            connections,
            rpcMethod,
            thresholds: { maxErrorRate, maxP95Ms, minInstances },
            json: flags.has("json"),
        },
    };
}

/** `https://host` → `https://host/api/gateway?endpoint=id`; an explicit path is kept. */
export function gatewayUrl(base: URL, endpoint: string | null): URL {
    const url = new URL(base.href);
    if (url.pathname === "/" || url.pathname === "") {
        url.pathname = DEFAULT_PATH;
    }
    if (endpoint !== null) {
        url.searchParams.set("endpoint", endpoint);
    }
    return url;
}

export function readUrl(raw: string): Parsed<URL> {
    const allowed = "an absolute http:// or https:// URL, e.g. http://127.0.0.1:8080";
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        return { allowed };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        return { allowed };
    }
    if (url.username !== "" || url.password !== "") {
        return { allowed: "a URL without credentials" };
    }
    return { value: url };
}

/** Integers only: "2000" yes, "2e3", "20.5", "0x10" no — a typo should not become a rate. */
export function readInteger(raw: string, min: number, max: number): Parsed<number> {
    const allowed = `an integer from ${min} to ${max}`;
    if (!/^\d+$/.test(raw)) {
        return { allowed };
    }
    const n = Number(raw);
    return n >= min && n <= max ? { value: n } : { allowed };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "60s", "1.5m", "250ms", "1h"; a bare number means seconds (as k6 and wrk read it). */
export function readDuration(raw: string, minMs: number, maxMs: number): Parsed<number> {
    const allowed = `a time such as 500ms, 30s, 2m (bare numbers are seconds) from ${formatMs(minMs)} to ${formatMs(maxMs)}`;
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw);
    if (match === null) {
        return { allowed };
    }
    const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] ?? "s"]);
    return ms >= minMs && ms <= maxMs ? { value: ms } : { allowed };
}

/**
 * "0.01" or "1%". The check is `errors / requests < r`, so r = 0 could never pass and is
 * refused; r = 1 tolerates anything short of total failure.
 */
export function readRate(raw: string): Parsed<number> {
    const allowed = "a fraction above 0 and at most 1 (0.01) or a percentage (1%)";
    const match = /^(\d+(?:\.\d+)?)(%)?$/.exec(raw);
    if (match === null) {
        return { allowed };
    }
    const rate = match[2] === "%" ? Number(match[1]) / 100 : Number(match[1]);
    return rate > 0 && rate <= 1 ? { value: rate } : { allowed };
}

/** Endpoint ids go into a query string and the gateway's cache key: keep them plain. */
export function readEndpoint(raw: string): Parsed<string> {
    return /^[A-Za-z0-9_-]{1,128}$/.test(raw)
        ? { value: raw }
        : { allowed: "1 to 128 of the characters A-Z a-z 0-9 _ - (as the gateway accepts)" };
}

/** JSON-RPC method names such as eth_blockNumber or net_version. */
function readRpcMethod(raw: string): Parsed<string> {
    return /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(raw)
        ? { value: raw }
        : { allowed: "a JSON-RPC method name: a letter, then up to 63 of A-Z a-z 0-9 _ ." };
}

function formatMs(ms: number): string {
    if (ms === 0) {
        return "0s";
    }
    return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function formatArgProblems(problems: readonly ArgProblem[], tool = "loadtest"): string {
    const lines = problems.map((p) => `  - ${p.option} = ${JSON.stringify(p.given)}: ${p.allowed}`);
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    return [`${tool}: ${count} with the arguments:`, ...lines, "Run with --help for usage."].join("\n");
}
