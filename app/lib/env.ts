/**
 * The environment contract with the fleet program, read once and validated as a whole.
 *
 * Every variable is checked before anything connects, and every problem is reported
 * together (name, value given, what is allowed), so a task that the fleet program
 * misconfigured stops at start with one readable message instead of a stack trace on
 * its first request. Pure: takes the environment as an argument.
 */
import os from "node:os";
import { DEFAULT_MAX_BODY_BYTES } from "./api";
import { parseCacheTtls } from "./cache-policy";
import { CORS_OFF, type CorsPolicy, parseCorsOrigins } from "./cors";
import { DEFAULT_MAX_BATCH } from "./jsonrpc";

export type PgSslMode = "disable" | "require" | "verify-ca" | "verify-full";
export const PG_SSL_MODES: readonly PgSslMode[] = ["disable", "require", "verify-ca", "verify-full"];

/** LOG_LEVEL: the least severe line written. Metric lines (EMF) are written at every level. */
export type LogLevelSetting = "info" | "warn" | "error" | "silent";
export const LOG_LEVELS: readonly LogLevelSetting[] = ["info", "warn", "error", "silent"];

/** Which handlers serve /api/*: the lean plain-function router (default) or Next's route handlers. */
export type ApiRouter = "lean" | "next";

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

type Env = Readonly<Record<string, string | undefined>>;

/** Reads one variable at a time and records what is wrong with it. */
class Reader {
    readonly problems: EnvProblem[] = [];

    constructor(private readonly env: Env) {}

    private fail(name: string, given: string | undefined, allowed: string): void {
        this.problems.push({ name, given: renderGiven(name, given), allowed });
    }

    /** A required, non-empty string; `pattern` (when given) must match it. */
    text(name: string, allowed: string, pattern?: RegExp): string {
        const raw = this.env[name];
        if (raw === undefined || raw === "" || (pattern !== undefined && !pattern.test(raw))) {
            this.fail(name, raw, allowed);
            return "";
        }
        return raw;
    }

    optionalText(name: string, allowed: string, pattern: RegExp): string | undefined {
        const raw = this.env[name];
        if (raw === undefined || raw === "") {
            return undefined;
        }
        if (!pattern.test(raw)) {
            this.fail(name, raw, allowed);
        }
        return raw;
    }

    /** An integer in [min, max]; `fallback` makes it optional. */
    integer(name: string, min: number, max: number, fallback?: number): number {
        const raw = this.env[name];
        if ((raw === undefined || raw === "") && fallback !== undefined) {
            return fallback;
        }
        const value = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
        if (!Number.isSafeInteger(value) || value < min || value > max) {
            const def = fallback === undefined ? "" : ` (default ${fallback} when unset)`;
            this.fail(name, raw, `an integer from ${min} to ${max}${def}`);
            return fallback ?? min;
        }
        return value;
    }

    oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
        const raw = this.env[name];
        if ((raw === undefined || raw === "") && fallback !== undefined) {
            return fallback;
        }
        const match = allowed.find((a) => a === raw);
        if (match === undefined) {
            this.fail(name, raw, `one of ${allowed.join(", ")}`);
            return allowed[0];
        }
        return match;
    }

    /** Records a problem found by a parser that knows more than "bad value". */
    report(name: string, allowed: string): void {
        this.fail(name, this.env[name], allowed);
    }
}

const SECRET_NAMES = new Set(["PGPASSWORD", "REDIS_AUTH_TOKEN"]);

function renderGiven(name: string, given: string | undefined): string {
    if (given === undefined) {
        return "(unset)";
    }
    if (given === "") {
        return "(empty)";
    }
    // Secrets come from ECS secrets; never echo them into the logs.
    return SECRET_NAMES.has(name) ? `(${given.length} characters, hidden)` : JSON.stringify(redactUrlPassword(given));
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

// Host names and IP literals: letters, digits, dots, hyphens, colons (IPv6).
const HOST = /^[A-Za-z0-9.:-]{1,253}$/;
const PG_IDENT = /^[^\s]{1,63}$/;
// ElastiCache auth tokens are 16–128 printable characters; locally any printable token works.
const PRINTABLE = /^[\x21-\x7e]{1,128}$/;
const VERSION = /^[A-Za-z0-9._+-]{1,64}$/;
// A CloudWatch dimension value and a log field: keep it to a plain name.
const SERVICE = /^[A-Za-z0-9._/-]{1,128}$/;
const HTTP_URL = /^https?:\/\/[^\s]{1,2000}$/;

export const DEFAULT_METRICS_SERVICE = "webfleet-gateway";

export function readConfig(env: Env): EnvResult {
    const r = new Reader(env);
    const port = r.integer("PORT", 1, 65535);
    const hostname = r.text("HOSTNAME", "a host name or IP address to listen on, e.g. 0.0.0.0", HOST);
    const pg = {
        host: r.text("PGHOST", "the PostgreSQL host name or IP address", HOST),
        port: r.integer("PGPORT", 1, 65535),
        database: r.text("PGDATABASE", "a database name (1–63 characters, no spaces)", PG_IDENT),
        user: r.text("PGUSER", "a role name (1–63 characters, no spaces)", PG_IDENT),
        password: r.text("PGPASSWORD", "a non-empty password"),
        sslMode: r.oneOf("PGSSLMODE", PG_SSL_MODES),
        poolMax: r.integer("DB_POOL_MAX", 1, 10000),
        peakTasks: r.integer("DB_PEAK_TASKS", 0, 100000, 0),
        reservedConnections: r.integer("DB_RESERVED_CONNECTIONS", 0, 262143, 3),
        connectTimeoutMs: r.integer("DB_CONNECT_TIMEOUT_MS", 100, 60000, 5000),
        queryTimeoutMs: r.integer("DB_QUERY_TIMEOUT_MS", 100, 600000, 5000),
    };
    const redis = readRedis(r, env);
    const cacheTtls = parseCacheTtls(env.CACHE_TTLS ?? DEFAULT_CACHE_TTLS);
    if (!cacheTtls.ok) {
        r.report(
            "CACHE_TTLS",
            `comma-separated method=seconds pairs (method: letters, digits, _; seconds: 1–86400), ` +
                `e.g. "${DEFAULT_CACHE_TTLS}"; empty disables caching (${cacheTtls.error})`,
        );
    }
    const cors = parseCorsOrigins(env.CORS_ORIGINS ?? "");
    if (!cors.ok) {
        r.report(
            "CORS_ORIGINS",
            `comma-separated origins (scheme://host[:port], no path), e.g. "https://app.example.com,http://localhost:5173", ` +
                `or * for any; empty turns CORS off (${cors.error})`,
        );
    }
    const config: AppConfig = {
        port,
        hostname,
        pg,
        redis,
        instanceId:
            r.optionalText("INSTANCE_ID", "letters, digits, . _ + - (1–64)", VERSION) ??
            `${os.hostname()}-${process.pid}`,
        appVersion: r.optionalText("APP_VERSION", "letters, digits, . _ + - (1–64)", VERSION),
        cacheTtls: cacheTtls.ok ? cacheTtls.ttls : new Map(),
        upstream: readUpstream(r),
        clients: readClients(r),
        readyTimeoutMs: r.integer("READY_TIMEOUT_MS", 50, 30000, 1000),
        // Default 25 s: the container stop timeout is 30 s, after which ECS sends SIGKILL.
        shutdownTimeoutMs: r.integer("SHUTDOWN_TIMEOUT_MS", 100, 120000, 25000),
        endpointCacheTtlS: r.integer("ENDPOINT_CACHE_TTL_S", 0, 86400, 300),
        endpointMemoMs: r.integer("ENDPOINT_MEMO_MS", 0, 600000, 5000),
        apiRouter: r.oneOf<ApiRouter>("API_ROUTER", ["lean", "next"], "lean"),
        limits: {
            maxBatch: r.integer("RPC_MAX_BATCH", 1, 100_000, DEFAULT_MAX_BATCH),
            // Upper bound: the whole body is held in memory; 64 MiB per request is plenty.
            maxBodyBytes: r.integer("RPC_MAX_BODY_BYTES", 1024, 64 * 1024 * 1024, DEFAULT_MAX_BODY_BYTES),
        },
        cors: cors.ok ? cors.policy : CORS_OFF,
        observability: {
            logLevel: r.oneOf<LogLevelSetting>("LOG_LEVEL", LOG_LEVELS, "info"),
            accessLogMaxPerS: r.integer("ACCESS_LOG_MAX_PER_S", 0, 100000, 100),
            metricsFlushS: r.integer("METRICS_FLUSH_S", 0, 3600, 60),
            service:
                r.optionalText("METRICS_SERVICE", "letters, digits, . _ / - (1–128), e.g. webfleet-prod", SERVICE) ?? DEFAULT_METRICS_SERVICE,
            ecsMetadataUri: r.optionalText("ECS_CONTAINER_METADATA_URI_V4", "an http:// URL (ECS sets it on every task)", HTTP_URL),
        },
    };
    return r.problems.length > 0 ? { ok: false, problems: r.problems } : { ok: true, config };
}

function readRedis(r: Reader, env: Env): AppConfig["redis"] {
    const raw = env.REDIS_URL;
    const allowed = "a redis:// or rediss:// URL with a host, e.g. rediss://my-cache.example:6379";
    let tls = false;
    let url = "";
    if (raw === undefined || raw === "") {
        r.report("REDIS_URL", allowed);
    } else {
        const parsed = safeUrl(raw);
        if (parsed === undefined || (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") || parsed.hostname === "") {
            r.report("REDIS_URL", allowed);
        } else {
            tls = parsed.protocol === "rediss:";
            url = raw;
        }
    }
    const authToken = r.optionalText("REDIS_AUTH_TOKEN", "1–128 printable characters without spaces", PRINTABLE);
    const commandTimeoutMs = r.integer("REDIS_COMMAND_TIMEOUT_MS", 10, 10000, 250);
    return { url, tls, authToken, commandTimeoutMs };
}

function readUpstream(r: Reader): AppConfig["upstream"] {
    const connectionsPerOrigin = r.integer("UPSTREAM_CONNECTIONS", 2, 10000, 256);
    const endpointConcurrency = r.integer("UPSTREAM_ENDPOINT_CONCURRENCY", 1, 10000, 128);
    if (endpointConcurrency >= connectionsPerOrigin) {
        // Equal would let one hanging endpoint hold every socket of its host again.
        r.report("UPSTREAM_ENDPOINT_CONCURRENCY", `an integer below UPSTREAM_CONNECTIONS (${connectionsPerOrigin})`);
    }
    return {
        timeoutMs: r.integer("UPSTREAM_TIMEOUT_MS", 100, 120000, 10000),
        connectionsPerOrigin,
        endpointConcurrency,
        maxResponseBytes: r.integer("UPSTREAM_MAX_RESPONSE_BYTES", 1024, 256 * 1024 * 1024, 8 * 1024 * 1024),
    };
}

function readClients(r: Reader): AppConfig["clients"] {
    const headersTimeoutMs = r.integer("CLIENT_HEADERS_TIMEOUT_MS", 500, 120000, 10000);
    const requestTimeoutMs = r.integer("CLIENT_REQUEST_TIMEOUT_MS", 500, 600000, 30000);
    if (headersTimeoutMs > requestTimeoutMs) {
        // node:http refuses a headers timeout longer than the request timeout.
        r.report("CLIENT_HEADERS_TIMEOUT_MS", `an integer no larger than CLIENT_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
    }
    return { headersTimeoutMs, requestTimeoutMs, maxConnections: r.integer("MAX_CLIENT_CONNECTIONS", 1, 1000000, 10000) };
}

function safeUrl(raw: string): URL | undefined {
    try {
        return new URL(raw);
    } catch {
        return undefined;
    }
}

/** One message naming every bad variable: what was given and what is allowed. */
export function formatProblems(problems: readonly EnvProblem[]): string {
    const lines = problems.map((p) => `  ${p.name}: got ${p.given}; expected ${p.allowed}`);
    return `webfleet gateway: cannot start, ${problems.length} environment variable(s) invalid:\n${lines.join("\n")}`;
}
