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
