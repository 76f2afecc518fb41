/**
 * One JSON object per line on stdout/stderr, the shape CloudWatch Logs Insights parses
 * without configuration.
 */
type Level = "info" | "warn" | "error";

export function log(level: Level, msg: string, fields: Readonly<Record<string, unknown>> = {}): void {
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
    if (level === "info") {
        process.stdout.write(`${line}\n`);
    } else {
        process.stderr.write(`${line}\n`);
    }
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
