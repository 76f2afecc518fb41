/**
 * What the ceilings share: the answers they replay (the production server's own, body and
 * headers, per path), and for the round-trip ceilings (proxy-ceiling, cache-ceiling)
 * required variables and the staged build's own config reader, so each runs with the
 * gateway's settings read from the same environment. Staged beside them as plain
 * JavaScript.
 */
import type http from "node:http";
import path from "node:path";
import type * as EnvModule from "../../app/lib/env";

export function required(who: string, name: string): string {
    const value = process.env[name];
    if (value === undefined || value === "") {
        process.stderr.write(`${who}: ${name} must be set\n`);
        process.exit(2);
    }
    return value;
}

/** The staged build's compiled lib/<name>.js, so a client is byte for byte the gateway's. */
export function buildModule<T>(imageDir: string, name: string): T {
    return require(path.join(imageDir, "lib", `${name}.js`));
}

/** The gateway's config from this process's environment, read by the staged build's env.js; exits 2 on problems. */
export function buildConfig(imageDir: string): EnvModule.AppConfig {
    const env = buildModule<typeof EnvModule>(imageDir, "env");
    const config = env.readConfig(process.env);
    if (!config.ok) {
        process.stderr.write(`${env.formatProblems(config.problems)}\n`);
        process.exit(2);
    }
    return config.config;
}

export type CeilingPath = "hit" | "miss" | "health";

/** What the production server answered on one path, as a ceiling sends it again. */
export interface CeilingAnswer {
    readonly body: string;
    /** Its headers, minus those node:http writes for every message itself (REWRITTEN_PER_MESSAGE). */
    readonly headers: Readonly<Record<string, string>>;
}

export type CeilingAnswers = Readonly<Record<CeilingPath, CeilingAnswer>>;

/** Writes `answer` with `status`: its headers, and the body's length (node:http would frame it chunked otherwise). */
export function sendAnswer(res: http.ServerResponse, status: number, { body, headers }: CeilingAnswer): void {
    res.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) });
    res.end(body);
}

/** node:http writes these for every message (content-length from the body, date, keep-alive): never replayed. */
const REWRITTEN_PER_MESSAGE: ReadonlySet<string> = new Set(["content-length", "transfer-encoding", "date", "connection", "keep-alive"]);

/** A received answer's headers as a ceiling replays them: lower-case names, repeated values joined. */
export function replayableHeaders(headers: Readonly<Record<string, string | readonly string[] | undefined>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
        const key = name.toLowerCase();
        if (value !== undefined && !REWRITTEN_PER_MESSAGE.has(key)) {
            out[key] = typeof value === "string" ? value : value.join(", ");
        }
    }
    return out;
}

/** Answers for a ceiling started by hand (no CEILING_ANSWERS): a plain JSON body, a JSON content type. */
export const PLACEHOLDER_ANSWERS: CeilingAnswers = {
    hit: { body: "{}", headers: { "content-type": "application/json" } },
    miss: { body: "{}", headers: { "content-type": "application/json" } },
    health: { body: '{"status":"ok"}', headers: { "content-type": "application/json" } },
};

/** CEILING_ANSWERS as tools/bench/targets.ts writes it; PLACEHOLDER_ANSWERS when unset. Throws naming what is malformed. */
export function readCeilingAnswers(raw: string | undefined): CeilingAnswers {
    if (raw === undefined || raw === "") {
        return PLACEHOLDER_ANSWERS;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        throw new Error("CEILING_ANSWERS must be JSON: {hit, miss, health}, each {body, headers}");
    }
    const answer = (path: CeilingPath): CeilingAnswer => {
        const value: unknown = typeof parsed === "object" && parsed !== null ? Reflect.get(parsed, path) : undefined;
        const body: unknown = typeof value === "object" && value !== null ? Reflect.get(value, "body") : undefined;
        const headers: unknown = typeof value === "object" && value !== null ? Reflect.get(value, "headers") : undefined;
        if (typeof body !== "string" || typeof headers !== "object" || headers === null || !Object.values(headers).every((v) => typeof v === "string")) {
            throw new Error(`CEILING_ANSWERS.${path} must be {"body": string, "headers": {name: string}}`);
        }
        return { body, headers: replayableHeaders(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]))) };
    };
    return { hit: answer("hit"), miss: answer("miss"), health: answer("health") };
}

/** CEILING_ANSWERS from this process's environment; exits 2 naming what is malformed. */
export function ceilingAnswersFromEnv(who: string): CeilingAnswers {
    try {
        return readCeilingAnswers(process.env.CEILING_ANSWERS);
    } catch (error) {
        process.stderr.write(`${who}: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(2);
    }
}
