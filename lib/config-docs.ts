/**
 * The two documents derived from the config table (lib/config-keys.ts): the `config:` block
 * of Pulumi.yaml and the README's configuration table. `npm run config:docs` writes both;
 * test/unit/config-docs.test.ts fails when either file differs from what this renders.
 *
 * Pure: text in, text out.
 */
import { CONFIG_KEYS, KeySpec, PROJECT_KEYS } from "./config-keys";

/** The lines that fence the generated part of each file. */
export const MARKERS = {
    yaml: ["# --- generated from lib/config-keys.ts by `npm run config:docs`: edit the table, not this block ---", "# --- end of generated block ---"],
    readme: ["<!-- generated from lib/config-keys.ts by `npm run config:docs`: edit the table, not these rows -->", "<!-- end of generated table -->"],
} as const;

/**
 * A YAML scalar: plain when YAML would read it back as the same string, quoted otherwise.
 * (A string default always has type `string`: test/unit/config-docs.test.ts checks the table.)
 */
export function yamlScalar(value: number | boolean | string): string {
    if (typeof value !== "string") {
        return String(value);
    }
    // A string that YAML 1.2 or 1.1 would read as a number, a boolean or null, or an empty one, must be quoted.
    const plainIsString = !/^(?:[-+]?(?:[\d_.:]*(?:e[-+]?\d+)?|0x[\da-f_]+|0o[0-7_]+|0b[01_]+|\.inf|\.nan)|true|false|null|~|y|n|yes|no|on|off)$/i.test(value);
    // Plain unless it starts with a YAML indicator, holds ": ", " #", a quote or a control character, or ends in ":" or a space.
    return plainIsString && !/^[-?:,[\]{}#&*!|>'"%@`\s]|: | #|["'\x00-\x1f\x7f]|[:\s]$/.test(value) ? value : JSON.stringify(value);
}

export function renderYamlConfig(): string {
    const lines = [MARKERS.yaml[0], "config:"];
    for (const key of PROJECT_KEYS) {
        const spec: KeySpec<unknown> = CONFIG_KEYS[key];
        lines.push(`  ${key}:`, `    type: ${spec.type}`, `    default: ${yamlScalar(spec.default)}`, `    description: ${yamlScalar(spec.doc)}`);
    }
    lines.push(MARKERS.yaml[1]);
    return lines.join("\n");
}

/** Stack-file values by stack name, keyed `webfleet:<key>` / `aws:region` as in the files. */
export type StackValues = Readonly<Record<"dev" | "prod", Readonly<Record<string, unknown>>>>;

function cell(value: unknown): string {
    return value === undefined ? "" : `\`${String(value)}\``;
}

export function renderReadmeTable(stacks: StackValues): string {
    const rows = [
        MARKERS.readme[0],
        "| key | type | default | dev | prod | what it does |",
        "|---|---|---|---|---|---|",
    ];
    for (const key of PROJECT_KEYS) {
        const spec: KeySpec<unknown> = CONFIG_KEYS[key];
        const shownDefault = spec.default === "" ? '`""`' : cell(spec.default);
        rows.push(`| \`${key}\` | ${spec.type} | ${shownDefault} | ${cell(stacks.dev[`webfleet:${key}`])} | ${cell(stacks.prod[`webfleet:${key}`])} | ${spec.doc} |`);
    }
    rows.push(
        `| \`aws:region\` | string | (none) | ${cell(stacks.dev["aws:region"])} | ${cell(stacks.prod["aws:region"])} | AWS region; certificateArn must be in it. |`,
        MARKERS.readme[1],
    );
    return rows.join("\n");
}

/** `text` with the part between the two marker lines (inclusive) replaced by `block`. */
export function replaceBetween(text: string, markers: readonly [string, string], block: string, file: string): string {
    const start = text.indexOf(markers[0]);
    const end = text.indexOf(markers[1]);
    if (start < 0 || end < start) {
        throw new Error(`${file} has no generated block (the lines ${JSON.stringify(markers[0])} … ${JSON.stringify(markers[1])}); put them back where the block belongs`);
    }
    return text.slice(0, start) + block + text.slice(end + markers[1].length);
}
