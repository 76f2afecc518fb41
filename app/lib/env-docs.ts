/**
 * The environment table of app/README.md, rendered from the table in lib/env.ts (ENV_VARS
 * and ENV_RULES). `npm run config:docs` (in the repository root) writes it into the README
 * between the two marker lines; a unit test fails when the README differs.
 *
 * Pure: text out.
 */
import { ENV_NAMES, ENV_RULES, ENV_VARS, type EnvVarSpec } from "./env";

/** The lines that fence the generated part of app/README.md. */
export const ENV_TABLE_MARKERS = [
    "<!-- generated from lib/env.ts by `npm run config:docs` (repository root): edit the table there, not these rows -->",
    "<!-- end of generated environment table -->",
] as const;

/** A table cell: pipes escaped, so a value cannot split the row. */
function cell(value: string): string {
    return value.replace(/\|/g, "\\|");
}

export function renderEnvTable(): string {
    const rows = [ENV_TABLE_MARKERS[0], "| variable | when unset | allowed | what it does |", "| --- | --- | --- | --- |"];
    for (const name of ENV_NAMES) {
        const spec: EnvVarSpec<unknown> = ENV_VARS[name];
        const unset = spec.default === undefined ? "**required**" : cell(spec.default);
        const doc = spec.secret === true ? `${spec.doc} Secret: an error shows only its length.` : spec.doc;
        rows.push(`| \`${name}\` | ${unset} | ${cell(spec.allowed)} | ${cell(doc)} |`);
    }
    rows.push("", "Checked together, when both variables are valid:", "");
    for (const rule of ENV_RULES) {
        rows.push(`- \`${rule.name}\` ${rule.doc}.`);
    }
    rows.push(ENV_TABLE_MARKERS[1]);
    return rows.join("\n");
}
