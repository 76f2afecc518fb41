/**
 * The one way the gateway writes to its log: pino, one JSON object per line on
 * stdout (info) and stderr (warn, error), the shape CloudWatch Logs Insights parses
 * without configuration. Every line carries `service` and `task` (the ECS task id, or the
 * host name off ECS); request-scoped lines carry `requestId`. Secrets are removed by
 * pino's own redaction (REDACT_PATHS), whatever a caller passes in.
 *
 * Metric lines (CloudWatch Embedded Metric Format, lib/metrics.ts) are not log records:
 * they go to stdout verbatim through writeMetricLine, never filtered by LOG_LEVEL.
 */
import pino, { type DestinationStream, type Logger } from "pino";
import type { LogLevelSetting } from "./env";

export type Level = "info" | "warn" | "error";

/**
 * Field names whose values never reach a log line, at the top level or one object down
 * (`{ pg: { password } }`). The app's secrets (PGPASSWORD, REDIS_AUTH_TOKEN) and the
 * usual credential carriers: auth headers, cookies, tokens, upstream URLs (API keys live
 * in their paths; log `upstreamHost` instead).
 */
export const REDACT_PATHS: readonly string[] = [
    "password", "PGPASSWORD", "authToken", "REDIS_AUTH_TOKEN", "token", "secret", "authorization", "cookie", "upstreamUrl",
].flatMap((key) => [key, `*.${key}`]);

export const REDACTED = "[redacted]";

export interface LogBindings {
    readonly service: string;
    readonly task: string;
}

/** A pino logger with the gateway's line shape, writing info to `out` and warn/error to `err`. */
export function buildLogger(level: LogLevelSetting, bindings: LogBindings, out: DestinationStream, err: DestinationStream): Logger {
    return pino(
        {
            level,
            base: { service: bindings.service, task: bindings.task },
            messageKey: "msg",
            timestamp: pino.stdTimeFunctions.isoTime,
            // "level":"info" rather than 30: readable in Logs Insights and in a terminal.
            formatters: { level: (label) => ({ level: label }) },
            redact: { paths: [...REDACT_PATHS], censor: REDACTED },
        },
        pino.multistream(
            [
                { level: "info", stream: out },
                { level: "warn", stream: err },
            ],
            { dedupe: true },
        ),
    );
}

// Node's own stdout/stderr, as before pino: synchronous for files and pipes on Linux
// (libuv), so a task killed right after an error line does not lose it, and a slow log
// reader blocks a write only until the pipe drains. (pino.destination's sync mode instead
// sleeps 100 ms on EAGAIN, which stalled every request under a slow reader.) Access lines
// are rate-limited (lib/access-log.ts), so the writes stay few.
const stdout: DestinationStream = process.stdout;
const stderr: DestinationStream = process.stderr;

let settings: { level: LogLevelSetting; bindings: LogBindings } = {
    level: "info",
    bindings: { service: "webfleet-gateway", task: "unknown" },
};
let logger = buildLogger(settings.level, settings.bindings, stdout, stderr);

/** Called once the environment is validated; `task` may be updated later (setLogTask). */
export function configureLogging(level: LogLevelSetting, bindings: LogBindings): void {
    settings = { level, bindings };
    logger = buildLogger(level, bindings, stdout, stderr);
}

/** The ECS task id arrives from the metadata endpoint after start. */
export function setLogTask(task: string): void {
    configureLogging(settings.level, { ...settings.bindings, task });
}

export function log(level: Level, msg: string, fields: Readonly<Record<string, unknown>> = {}): void {
    logger[level](fields, msg);
}

/** True when an info line would be written: lets hot paths skip building fields. */
export function infoEnabled(): boolean {
    return logger.isLevelEnabled("info");
}

/** One already-serialised JSON document per line on stdout (EMF metric lines). */
export function writeMetricLine(json: string): void {
    stdout.write(`${json}\n`);
}

export function errorMessage(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

const lastLogged = new Map<string, number>();

/**
 * For faults that repeat per request or per reconnect (Redis down, Postgres refusing):
 * one line per `key` per interval keeps the log readable and cheap during an outage.
 */
export function logThrottled(key: string, level: Level, msg: string, fields: Readonly<Record<string, unknown>>, intervalMs = 10_000): void {
    const now = Date.now();
    if (now - (lastLogged.get(key) ?? 0) >= intervalMs) {
        if (lastLogged.size >= 10_000) {
            lastLogged.clear(); // keys include endpoint ids: never an unbounded map
        }
        lastLogged.set(key, now);
        log(level, msg, fields);
    }
}
