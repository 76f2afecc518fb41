/**
 * Reading the workflow files for tests: the raw text (for the schema validator) and the
 * parsed YAML with just enough typing to walk jobs and steps without `any`.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export const ROOT = path.resolve(__dirname, "..", "..");
export const WORKFLOW_DIR = path.join(ROOT, ".github", "workflows");

export type Node = Readonly<Record<string, unknown>>;

export function isNode(value: unknown): value is Node {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function node(value: unknown, what: string): Node {
    if (!isNode(value)) {
        throw new Error(`${what} is not a mapping`);
    }
    return value;
}

export interface Step {
    readonly job: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with: Node;
}

export interface Workflow {
    readonly file: string;
    readonly text: string;
    readonly doc: Node;
    readonly jobs: ReadonlyArray<readonly [string, Node]>;
    readonly steps: readonly Step[];
}

export function workflowFiles(): string[] {
    return fs
        .readdirSync(WORKFLOW_DIR)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();
}

export function readWorkflow(file: string): Workflow {
    const text = fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
    const doc = node(parse(text), file);
    const jobs = Object.entries(node(doc["jobs"], `${file} jobs`)).map(([id, job]): [string, Node] => [id, node(job, `${file} job ${id}`)]);
    const steps: Step[] = [];
    for (const [id, job] of jobs) {
        const list = job["steps"];
        for (const raw of Array.isArray(list) ? list : []) {
            const step = node(raw, `${file} job ${id} step`);
            steps.push({
                job: id,
                uses: typeof step["uses"] === "string" ? step["uses"] : undefined,
                run: typeof step["run"] === "string" ? step["run"] : undefined,
                with: isNode(step["with"]) ? step["with"] : {},
            });
        }
    }
    return { file, text, doc, jobs, steps };
}

/** The job named `id`, or a clear failure. */
export function job(workflow: Workflow, id: string): Node {
    const found = workflow.jobs.find(([name]) => name === id);
    if (!found) {
        throw new Error(`${workflow.file} has no job ${id}`);
    }
    return found[1];
}
