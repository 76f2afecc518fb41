/**
 * Runs index.ts under Pulumi mocks with exactly the config the CLI would pass for a
 * stack (Pulumi.yaml defaults + Pulumi.<stack>.yaml + overrides), inside a root stack
 * resource as the CLI's language host does, and records each resource's inputs (mocks.ts)
 * and the options the program gave it (a stack transformation: ignoreChanges,
 * replaceOnChanges, protect, deleteBeforeReplace, parent) — read from the program itself,
 * not from a list kept by hand.
 *
 * ONE STACK PER PROCESS: Node caches the program module, and Pulumi's runtime settings are
 * global, so a second call in the same process would see the first run's resources.
 * runProgram refuses to run twice; use a child process per stack (launch.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { RecordedCall, RecordedOptions, RecordedResource, RecordingMocks } from "./mocks";
import { loadStackConfig, PROJECT_ROOT } from "./stack-config";

export type { RecordedCall, RecordedOptions, RecordedResource } from "./mocks";

export interface ProgramRun {
    readonly stack: string;
    readonly config: Readonly<Record<string, string>>;
    readonly resources: RecordedResource[];
    /** Data-source calls (invokes) the program made, with their arguments. */
    readonly calls: RecordedCall[];
    readonly outputs: Record<string, unknown>;
    /** Resource name → URNs it waits for (explicit dependsOn and inputs taken from other resources). */
    readonly dependencies: ReadonlyMap<string, readonly string[]>;
    /** Full names of the stacks read through a StackReference. */
    readonly stackReads: readonly string[];
}

/** What `pulumi.getOrganization()` says under the mocks (a self-managed backend says "organization"). */
export const MOCK_ORGANIZATION = "organization";

export interface RunOptions {
    /**
     * Config handed to the program as-is, past the loader's CLI checks: what an Automation
     * API caller or an older CLI could pass. Tests use it to prove the program's own checks.
     */
    readonly unchecked?: Readonly<Record<string, string>>;
    /**
     * The outputs of the stack's last `up`, which the program reads back through a
     * StackReference to itself; leave undefined for a first deploy.
     */
    readonly previousOutputs?: Record<string, unknown>;
}

let ran: string | undefined;

function keyOf(type: string, name: string): string {
    return `${type}::${name}`;
}

/** The options each resource was registered with, keyed by type::name, captured as the program passes them. */
function recordOptions(): Map<string, RecordedOptions> {
    const byResource = new Map<pulumi.Resource, string>();
    const options = new Map<string, RecordedOptions>();
    pulumi.runtime.registerStackTransformation(({ resource, type, name, opts }) => {
        byResource.set(resource, name);
        const parent = opts.parent === undefined ? undefined : byResource.get(opts.parent);
        const list = (v: unknown): string[] | undefined => (Array.isArray(v) && v.length > 0 ? v.map(String) : undefined);
        options.set(keyOf(type, name), {
            ...(parent !== undefined ? { parent } : {}),
            ...(list(opts.ignoreChanges) ? { ignoreChanges: list(opts.ignoreChanges) } : {}),
            ...(list(opts.replaceOnChanges) ? { replaceOnChanges: list(opts.replaceOnChanges) } : {}),
            ...(opts.protect === true ? { protect: true } : {}),
            ...("deleteBeforeReplace" in opts && opts.deleteBeforeReplace === true ? { deleteBeforeReplace: true } : {}),
            ...(opts.retainOnDelete === true ? { retainOnDelete: true } : {}),
        });
        return undefined;
    });
    return options;
}

export async function runProgram(stack: string, overrides: Readonly<Record<string, string>> = {}, opts: RunOptions = {}): Promise<ProgramRun> {
    if (ran !== undefined) {
        throw new Error(`runProgram already ran stack "${ran}" in this process; run each stack in its own process`);
    }
    ran = stack;
    const config = { ...loadStackConfig(stack, overrides), ...opts.unchecked };
    const mocks = new RecordingMocks(opts.previousOutputs);
    // preview=false so that outputs resolve to the mocked values.
    await pulumi.runtime.setMocks(mocks, "webfleet", stack, false, MOCK_ORGANIZATION);
    pulumi.runtime.setAllConfig(config);
    const dependencies = recordDependencies();

    // An error thrown while an output resolves (the change from the deployed plan refused)
    // fails `pulumi preview`; here it could leave that output pending forever, so race it.
    let failed: (e: unknown) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => (failed = reject));
    failure.catch(() => undefined);
    const onRejection = (e: unknown): void => failed(e);
    process.on("unhandledRejection", onRejection);
    let options = new Map<string, RecordedOptions>();
    let stackOutputs: unknown;
    try {
        stackOutputs = await Promise.race([
            pulumi.runtime.runInPulumiStack(async () => {
                options = recordOptions();
                const program: Record<string, unknown> = await import(path.join(PROJECT_ROOT, "index"));
                return { ...program };
            }),
            failure,
        ]);
        // Let registrations that were started by the last outputs settle.
        await Promise.race([new Promise((r) => setTimeout(r, 50)), failure]);
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    const resources = mocks.resources
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        .map((r) => {
            const o = options.get(keyOf(r.type, r.name));
            return o === undefined || Object.keys(o).length === 0 ? r : { ...r, options: o };
        });
    const outputs: Record<string, unknown> = typeof stackOutputs === "object" && stackOutputs !== null ? { ...stackOutputs } : {};
    return { stack, config, resources, calls: mocks.calls, outputs, dependencies, stackReads: mocks.stackReads };
}

/**
 * The mocks never see what a resource depends on; the monitor's register request carries
 * it, as it would to the engine. Wraps the mock monitor to keep it.
 */
function recordDependencies(): Map<string, string[]> {
    const dependencies = new Map<string, string[]>();
    const monitor = pulumi.runtime.getMonitor();
    if (monitor === undefined) {
        throw new Error("no mock monitor: setMocks must run first");
    }
    const register = monitor.registerResource.bind(monitor);
    const wrapped: typeof monitor.registerResource = (request: Parameters<typeof register>[0], ...rest: unknown[]) => {
        dependencies.set(request.getName(), request.getDependenciesList());
        return Reflect.apply(register, monitor, [request, ...rest]);
    };
    monitor.registerResource = wrapped;
    return dependencies;
}
