/**
 * A checker for CloudWatch Embedded Metric Format documents, written from the published
 * specification (CloudWatch_Embedded_Metric_Format_Specification, incl. its JSON schema):
 * root object with `_aws` { Timestamp: integer ms, CloudWatchMetrics: MetricDirective[] };
 * MetricDirective { Namespace (1–255 chars), Dimensions: DimensionSet[] (≥ 1 set, each
 * ≤ 9 keys), Metrics: MetricDefinition[] (≤ 100) } and nothing else; MetricDefinition
 * { Name, Unit? (a CloudWatch unit) }; every dimension key a root member with a string
 * value; every metric name a root member that is a number or ≤ 100 numbers.
 * Returns the problems found (empty: valid).
 */
import { isRecord } from "../../lib/is-record";
const UNITS = new Set([
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
    "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
    "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
    "Terabits/Second", "Count/Second", "None",
]);


function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], where: string, problems: string[]): void {
    for (const key of Object.keys(o)) {
        if (!allowed.includes(key)) problems.push(`${where}: unexpected member ${key}`);
    }
}

export function emfProblems(doc: unknown): string[] {
    const problems: string[] = [];
    if (!isRecord(doc)) return ["root is not an object"];
    const aws = doc._aws;
    if (!isRecord(aws)) return ["_aws missing or not an object"];
    if (typeof aws.Timestamp !== "number" || !Number.isInteger(aws.Timestamp) || aws.Timestamp < 1e12) {
        problems.push("_aws.Timestamp must be an integer count of milliseconds since the epoch");
    }
    const directives = aws.CloudWatchMetrics;
    if (!Array.isArray(directives) || directives.length === 0) return [...problems, "_aws.CloudWatchMetrics must be a non-empty array"];
    directives.forEach((d: unknown, i) => {
        const where = `CloudWatchMetrics[${i}]`;
        if (!isRecord(d)) {
            problems.push(`${where} is not an object`);
            return;
        }
        onlyKeys(d, ["Namespace", "Dimensions", "Metrics"], where, problems);
        if (typeof d.Namespace !== "string" || d.Namespace.length < 1 || d.Namespace.length > 255) problems.push(`${where}.Namespace must be 1–255 characters`);
        if (!Array.isArray(d.Dimensions) || d.Dimensions.length === 0) {
            problems.push(`${where}.Dimensions must be a non-empty array of dimension sets`);
        } else {
            for (const set of d.Dimensions) {
                if (!Array.isArray(set) || set.length > 9) {
                    problems.push(`${where}: a dimension set must be an array of at most 9 keys`);
                    continue;
                }
                for (const key of set) {
                    if (typeof key !== "string" || key.length === 0) problems.push(`${where}: dimension key ${JSON.stringify(key)} is not a string`);
                    else if (typeof doc[key] !== "string") problems.push(`${where}: dimension ${key} must be a root member with a string value`);
                }
            }
        }
        if (!Array.isArray(d.Metrics) || d.Metrics.length > 100) {
            problems.push(`${where}.Metrics must be an array of at most 100 definitions`);
        } else {
            for (const m of d.Metrics) {
                if (!isRecord(m) || typeof m.Name !== "string" || m.Name.length === 0) {
                    problems.push(`${where}: metric definition without a Name`);
                    continue;
                }
                onlyKeys(m, ["Name", "Unit", "StorageResolution"], `${where} ${m.Name}`, problems);
                if (m.Unit !== undefined && (typeof m.Unit !== "string" || !UNITS.has(m.Unit))) problems.push(`${where} ${m.Name}: unknown Unit ${String(m.Unit)}`);
                const value = doc[m.Name];
                const numeric = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v);
                if (!(numeric(value) || (Array.isArray(value) && value.length <= 100 && value.every(numeric)))) {
                    problems.push(`${where}: metric ${m.Name} must be a root member holding a number or at most 100 numbers`);
                }
            }
        }
    });
    return problems;
}

/** The EMF documents among a process's output lines. */
export function emfDocuments(output: string): Record<string, unknown>[] {
    const docs: Record<string, unknown>[] = [];
    for (const line of output.split("\n")) {
        if (!line.startsWith("{") || !line.includes('"_aws"')) continue;
        try {
            const parsed: unknown = JSON.parse(line);
            if (isRecord(parsed)) docs.push(parsed);
        } catch {
            // The bounded output buffer may cut its first line.
        }
    }
    return docs;
}

/** The JSON log lines (not metric documents) among a process's output lines. */
export function logLines(output: string): Record<string, unknown>[] {
    const lines: Record<string, unknown>[] = [];
    for (const line of output.split("\n")) {
        if (!line.startsWith("{") || line.includes('"_aws"')) continue;
        try {
            const parsed: unknown = JSON.parse(line);
            if (isRecord(parsed)) lines.push(parsed);
        } catch {
            // A line cut by the bounded output buffer, or Next's own text.
        }
    }
    return lines;
}
