// Reads the mutation reports (Stryker's JSON and the bounds pass's, same schema) and the
// equivalent-mutant table of docs/MUTATION.md, and prints one row per file:
// killed, survived, no coverage, equivalent, and the score over non-equivalent mutants.
"use strict";
const fs = require("fs");
const path = require("path");

const REPORTS = ["root.json", "app.json", "bounds.json"];
const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

/**
 * Rows of the table in docs/MUTATION.md under "## Equivalent mutants":
 * | file | line (or first–last) | mutator(s) | `replacement` (or * for any) | reason |
 */
function readEquivalents(root) {
    const doc = path.join(root, "docs", "MUTATION.md");
    if (!fs.existsSync(doc)) {
        return [];
    }
    const text = fs.readFileSync(doc, "utf8");
    const section = text.split(/^## Equivalent mutants$/m)[1]?.split(/^## /m)[0] ?? "";
    const rows = [];
    for (const line of section.split("\n")) {
        // | file | line or first–last | mutator[, mutator] | `replacement` or * | reason |
        const m = /^\|\s*`?([\w./-]+\.ts)`?\s*\|\s*(\d+)(?:\s*[–-]\s*(\d+))?\s*\|\s*([\w, ]+?)\s*\|\s*(\*|`.*`)\s*\|/.exec(line);
        if (m) {
            rows.push({
                file: m[1],
                first: Number(m[2]),
                last: Number(m[3] ?? m[2]),
                mutators: m[4].split(",").map((x) => x.trim()),
                replacement: m[5] === "*" ? "*" : m[5].slice(1, -1).replace(/\\\|/g, "|"),
                used: false,
            });
        }
    }
    return rows;
}

/** Stryker reports files relative to the directory it ran in; app's run is in app/. */
function loadReports(root) {
    const out = [];
    for (const name of REPORTS) {
        const file = path.join(root, "reports", "mutation", name);
        if (!fs.existsSync(file)) {
            continue;
        }
        const report = JSON.parse(fs.readFileSync(file, "utf8"));
        const prefix = name === "app.json" ? "app/" : "";
        for (const [rel, entry] of Object.entries(report.files)) {
            const key = (prefix + rel).replace(/\\/g, "/");
            for (const m of entry.mutants) {
                out.push({ source: name === "bounds.json" ? "bounds" : "stryker", file: key, line: m.location.start.line, mutator: m.mutatorName, replacement: m.replacement ?? "", status: m.status, date: fs.statSync(file).mtime });
            }
        }
    }
    return out;
}

function summarize(root) {
    const equivalents = readEquivalents(root);
    const mutants = loadReports(root);
    const byFile = new Map();
    for (const m of mutants) {
        const row = byFile.get(m.file) ?? { killed: 0, survived: 0, noCoverage: 0, equivalent: 0, other: 0, bounds: { killed: 0, total: 0 }, survivors: [] };
        byFile.set(m.file, row);
        const eq =
            UNDETECTED.has(m.status) &&
            equivalents.find(
                (e) =>
                    e.file === m.file &&
                    m.line >= e.first &&
                    m.line <= e.last &&
                    e.mutators.includes(m.mutator) &&
                    (e.replacement === "*" || e.replacement === m.replacement.replace(/\s+/g, " ")),
            );
        if (eq) {
            eq.used = true;
            row.equivalent++;
        } else if (DETECTED.has(m.status)) {
            row.killed++;
        } else if (m.status === "Survived") {
            row.survived++;
        } else if (m.status === "NoCoverage") {
            row.noCoverage++;
        } else {
            row.other++; // CompileError, RuntimeError, Ignored: not counted, like Stryker
        }
        if (m.source === "bounds" && !eq) {
            row.bounds.total++;
            row.bounds.killed += DETECTED.has(m.status) ? 1 : 0;
        }
        if (UNDETECTED.has(m.status) && !eq) {
            row.survivors.push(`${m.file}:${m.line} ${m.mutator} → ${m.replacement.replace(/\s+/g, " ").slice(0, 100)} (${m.status})`);
        }
    }
    const pct = (a, b) => (b === 0 ? "–" : `${((100 * a) / b).toFixed(1)} %`);
    const lines = ["| module | killed | survived | no coverage | equivalent | score (non-equivalent) | of which bounds ±1 killed |", "|---|--:|--:|--:|--:|--:|--:|"];
    const files = [...byFile.keys()].sort();
    for (const f of files) {
        const r = byFile.get(f);
        const total = r.killed + r.survived + r.noCoverage;
        lines.push(`| ${f} | ${r.killed} | ${r.survived} | ${r.noCoverage} | ${r.equivalent} | ${pct(r.killed, total)} | ${r.bounds.killed}/${r.bounds.total} |`);
    }
    const survivors = files.flatMap((f) => byFile.get(f).survivors);
    const stale = equivalents.filter((e) => !e.used).map((e) => `${e.file}:${e.first}${e.last !== e.first ? `–${e.last}` : ""} ${e.mutators.join(",")} → ${e.replacement}`);
    return [
        lines.join("\n"),
        survivors.length ? `\nsurvivors (${survivors.length}):\n  ${survivors.join("\n  ")}` : "\nno survivors",
        stale.length ? `\nequivalent-mutant rows in docs/MUTATION.md that matched no surviving mutant (moved code? update the table):\n  ${stale.join("\n  ")}` : "",
    ].join("\n");
}

module.exports = { summarize };

if (require.main === module) {
    console.log(summarize(path.resolve(__dirname, "..", "..")));
}
