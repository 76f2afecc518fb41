/**
 * Property: a config edit changes the plan's diff exactly where the program's resources
 * change. The program runs twice (the prod stack, then prod with random edits), each in
 * its own process; the diff (tools/plan/diff.ts) must name the same (resource, input) pairs
 * as a brute-force comparison of the raw recorded inputs, minus what the program's
 * ignoreChanges covers, plus only "known after replace" values of resources it replaces.
 */
import * as assert from "assert";
import * as fc from "fast-check";
import { lastJsonLine, launch } from "../../../tools/mock-runner/launch";
import { DiffableResource, diffRuns, isRealChange, topLevel } from "../../../tools/plan/diff";

interface Run {
    readonly stack: string;
    readonly resources: DiffableResource[];
}

function isRun(v: unknown): v is Run {
    return typeof v === "object" && v !== null && "stack" in v && "resources" in v && Array.isArray(v.resources);
}

async function run(overrides: Record<string, string>): Promise<Run> {
    const args = ["--stack", "prod", ...Object.entries(overrides).flatMap(([k, v]) => ["--set", `${k}=${v}`]), "--emit-run"];
    const done = await launch({ script: "tools/plan/plan.ts", args }).done;
    assert.strictEqual(done.status, 0, `${JSON.stringify(overrides)}: ${done.stderr}`);
    const parsed = lastJsonLine(done.stdout);
    assert.ok(isRun(parsed));
    return parsed;
}

/** (resource, top-level input) pairs whose raw recorded values differ, and keys only on one side. */
function bruteForce(before: Run, after: Run): { changed: Set<string>; created: Set<string>; deleted: Set<string> } {
    const key = (r: DiffableResource): string => `${r.type} ${r.name}`;
    const old = new Map(before.resources.map((r) => [key(r), r]));
    const now = new Map(after.resources.map((r) => [key(r), r]));
    const changed = new Set<string>();
    for (const [k, r] of now) {
        const was = old.get(k);
        if (was === undefined) {
            continue;
        }
        for (const input of new Set([...Object.keys(was.inputs), ...Object.keys(r.inputs)])) {
            const ignored = (r.options?.ignoreChanges ?? []).includes(input);
            if (!ignored && JSON.stringify(was.inputs[input]) !== JSON.stringify(r.inputs[input])) {
                changed.add(`${k} ${input}`);
            }
        }
    }
    return {
        changed,
        created: new Set([...now.keys()].filter((k) => !old.has(k))),
        deleted: new Set([...old.keys()].filter((k) => !now.has(k))),
    };
}

const edits = fc.record(
    {
        replicas: fc.integer({ min: 1, max: 6 }).map(String),
        maxReplicas: fc.constantFrom("0", "8", "12"),
        autoscalingRequestsPerTarget: fc.integer({ min: 1000, max: 200000 }).map(String),
        size: fc.constantFrom(["512", "1024"], ["1024", "2048"], ["2048", "4096"]),
        cpuArchitecture: fc.constantFrom("X86_64", "ARM64"),
        logRetentionDays: fc.constantFrom("7", "30", "90"),
        dbInstanceClass: fc.constantFrom("db.t4g.medium", "db.t4g.large"),
        dbEngineVersion: fc.constantFrom("16", "17"),
        dbMultiAz: fc.constantFrom("true", "false"),
        cacheNodeType: fc.constantFrom("cache.t4g.small", "cache.t4g.medium"),
    },
    { requiredKeys: [] },
).map(({ size, ...rest }) => ({ ...rest, ...(size ? { cpu: size[0], memory: size[1] } : {}) }));

describe("offline plan: the diff changes exactly where the program's resources change", function () {
    this.timeout(600_000);
    let base: Run;

    before(async () => {
        base = await run({});
    });

    it("property: diff(prod, prod + edits) = brute-force comparison of the recorded inputs", async () => {
        await fc.assert(
            fc.asyncProperty(edits, async (overrides) => {
                const edited = await run(overrides);
                const diff = diffRuns(base, edited);
                const truth = bruteForce(base, edited);
                const real = diff.changes.filter(isRealChange);
                const direct = new Set(
                    real.filter((c) => c.op === "update" || c.op === "replace").flatMap((c) => c.properties.filter((p) => !p.knownAfterReplaceOf).map((p) => `${c.type} ${c.name} ${topLevel(p.path)}`)),
                );
                assert.deepStrictEqual([...direct].sort(), [...truth.changed].sort(), JSON.stringify(overrides));
                assert.deepStrictEqual(real.filter((c) => c.op === "create").map((c) => `${c.type} ${c.name}`).sort(), [...truth.created].sort());
                assert.deepStrictEqual(real.filter((c) => c.op === "delete").map((c) => `${c.type} ${c.name}`).sort(), [...truth.deleted].sort());
                // Anything else the diff shows is the new id/ARN of a resource it replaces.
                const replaced = new Set(real.filter((c) => c.op === "replace").map((c) => `${c.type} ${c.key}`));
                for (const c of real) {
                    for (const p of c.properties.filter((x) => x.knownAfterReplaceOf)) {
                        assert.ok(replaced.has(p.knownAfterReplaceOf ?? ""), `${c.type} ${c.name} ${p.path} refers to ${p.knownAfterReplaceOf}, which is not replaced`);
                    }
                }
            }),
            { numRuns: 5 },
        );
    });
});
