/**
 * `npm run dashboard:picture`: draws the dashboard's widget grid as an SVG
 * (docs/dashboard.svg, shown in the README), from the very body the program deploys
 * (lib/dashboard.ts) for the prod stack's settings. A unit test fails when the picture
 * no longer matches the body.
 */
import fs from "node:fs";
import path from "node:path";
import { planCapacity } from "../../lib/capacity";
import { dashboardBody, DashboardBody, DashboardInput, GRID_COLUMNS, MetricWidget } from "../../lib/dashboard";
import { parseSettings, rawConfigFrom } from "../../lib/settings";
import { resourcePrefix } from "../../lib/names";
import { loadStackConfig, PROJECT_ROOT } from "../mock-runner/stack-config";

export const PICTURE = path.join(PROJECT_ROOT, "docs", "dashboard.svg");

const COL = 44;
const ROW = 34;
const PAD = 6;

function escape(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function fit(text: string, width: number, charWidth: number): string {
    const max = Math.floor(width / charWidth);
    return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** One legend entry per graphed line: the metric (namespace omitted) or the expression's label. */
function legend(widget: MetricWidget): string[] {
    return widget.properties.metrics.flatMap((line) => {
        const strings = line.filter((p): p is string => typeof p === "string");
        const options = line.find((p): p is Readonly<Record<string, string | number | boolean>> => typeof p !== "string") ?? {};
        if (options["visible"] === false) return [];
        if (strings.length === 0) {
            const expr = String(options["expression"] ?? "");
            const search = /MetricName="(\w+)"/.exec(expr);
            return [search ? `${search[1]} per ${/UpstreamHost/.test(expr) ? "upstream host" : "task"} (SEARCH)` : `${String(options["label"] ?? expr)} = ${expr}`];
        }
        const stat = options["stat"] ?? widget.properties.stat;
        const label = options["label"] === undefined ? "" : `: ${String(options["label"])}`;
        return [`${strings[0]} ${strings[1]} (${String(stat)})${options["yAxis"] === "right" ? " →right" : ""}${label}`];
    });
}

export function renderLayoutSvg(body: DashboardBody, caption: string): string {
    const rows = Math.max(...body.widgets.map((w) => w.y + w.height));
    const width = GRID_COLUMNS * COL;
    const height = rows * ROW + 40;
    const parts: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
        `<rect width="${width}" height="${height}" fill="#f4f5f7"/>`,
    ];
    for (const w of body.widgets) {
        const x = w.x * COL + PAD;
        const y = w.y * ROW + PAD;
        const ww = w.width * COL - 2 * PAD;
        const wh = w.height * ROW - 2 * PAD;
        parts.push(`<g><rect x="${x}" y="${y}" width="${ww}" height="${wh}" rx="4" fill="#ffffff" stroke="#c4c8cf"/>`);
        parts.push(`<text x="${x + 8}" y="${y + 18}" font-size="12.5" font-weight="bold" fill="#16191f">${escape(fit(w.properties.title, ww - 16, 6.9))}</text>`);
        let line = 0;
        for (const entry of legend(w)) {
            parts.push(`<text x="${x + 8}" y="${y + 38 + line * 15}" font-size="10.5" fill="#1f4e8c">${escape(fit(`• ${entry}`, ww - 16, 5.6))}</text>`);
            line += 1;
        }
        for (const a of w.properties.annotations?.horizontal ?? []) {
            const ly = y + 38 + line * 15;
            parts.push(`<line x1="${x + 8}" y1="${ly - 4}" x2="${x + 30}" y2="${ly - 4}" stroke="${a.color ?? "#2ca02c"}" stroke-width="2" stroke-dasharray="4 2"/>`);
            parts.push(`<text x="${x + 36}" y="${ly}" font-size="10.5" fill="#444">${escape(fit(`line at ${a.label}`, ww - 44, 5.6))}</text>`);
            line += 1;
        }
        parts.push(`<text x="${x + ww - 8}" y="${y + wh - 8}" font-size="9" fill="#8a8f98" text-anchor="end">x ${w.x} y ${w.y}, ${w.width}×${w.height}</text></g>`);
    }
    parts.push(`<text x="${PAD}" y="${height - 14}" font-size="11" fill="#555">${escape(caption)}</text>`);
    parts.push("</svg>");
    return `${parts.join("\n")}\n`;
}

/** The prod stack's dashboard, with placeholders where AWS assigns ids. */
export function prodPicture(): string {
    const parsed = parseSettings(rawConfigFrom(loadStackConfig("prod")), { dockerfileExists: () => true });
    if (!parsed.ok) throw new Error("the prod stack's config is invalid; fix it before drawing its dashboard");
    const s = parsed.settings;
    const planned = planCapacity(s);
    if (!planned.ok) throw new Error("the prod stack's connection budget does not fit; fix it before drawing its dashboard");
    const c = planned.plan;
    const prefix = resourcePrefix("webfleet", "prod");
    const input: DashboardInput = {
        region: s.region,
        service: prefix,
        albArnSuffix: "app/<alb>/<id>",
        targetGroupArnSuffix: "targetgroup/<tg>/<id>",
        clusterName: "<cluster>",
        serviceName: "<service>",
        dbInstanceId: "<db>",
        cacheClusterIds: s.cacheMultiAz ? ["<cache>-001", "<cache>-002"] : ["<cache>-001"],
        replicas: c.replicas,
        maxReplicas: c.maxReplicas,
        peakConnections: c.peakConnections,
        dbMaxConnections: c.dbMaxConnections,
        poolPerTask: c.poolPerTask,
    };
    return renderLayoutSvg(dashboardBody(input), `CloudWatch dashboard "${prefix}" (prod stack): widget grid drawn from lib/dashboard.ts by npm run dashboard:picture`);
}

if (require.main === module) {
    fs.writeFileSync(PICTURE, prodPicture());
    process.stdout.write(`wrote ${path.relative(process.cwd(), PICTURE)}\n`);
}
