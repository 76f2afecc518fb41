/**
 * Runs index.ts under Pulumi mocks with exactly the config the CLI would pass for a
 * stack (Pulumi.yaml defaults + Pulumi.<stack>.yaml + overrides).
 *
 * ONE STACK PER PROCESS: Node caches the program module, and Pulumi's runtime settings are
 * global, so a second call in the same process would see the first run's resources.
 * runProgram refuses to run twice; use a child process per stack (scripts/program-tests.js).
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { RecordedCall, RecordedResource, RecordingMocks } from "./mocks";
import { loadStackConfig, PROJECT_ROOT } from "./stack-config";

export type { RecordedCall, RecordedResource } from "./mocks";

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

let ran: string | undefined;

function isOutput(v: unknown): v is pulumi.Output<unknown> {
    return pulumi.Output.isInstance(v);
}

function resolve(v: pulumi.Output<unknown>): Promise<unknown> {
    return new Promise((done) => v.apply((x) => done(x)));
}

/**
 * `previousOutputs`: the outputs of the stack's last `up`, which the program reads back
 * through a StackReference to itself; leave undefined for a first deploy.
 */
export async function runProgram(
    stack: string,
    overrides: Readonly<Record<string, string>> = {},
    previousOutputs?: Record<string, unknown>,
): Promise<ProgramRun> {
    if (ran !== undefined) {
        throw new Error(`runProgram already ran stack "${ran}" in this process; run each stack in its own process`);
    }
    ran = stack;
    const config = loadStackConfig(stack, overrides);
    const mocks = new RecordingMocks(previousOutputs);
    // preview=false so that outputs resolve to the mocked values.
    await pulumi.runtime.setMocks(mocks, "webfleet", stack, false, MOCK_ORGANIZATION);
    pulumi.runtime.setAllConfig(config);
    const dependencies = recordDependencies();

    // An error thrown while an output resolves (the change from the deployed plan refused)
    // fails `pulumi preview`; here it would leave that output pending forever, so catch it.
    let failed: (e: unknown) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => (failed = reject));
    failure.catch(() => undefined);
    const onRejection = (e: unknown): void => failed(e);
    process.on("unhandledRejection", onRejection);
    try {
        const program: Record<string, unknown> = await import(path.join(PROJECT_ROOT, "index"));
        const outputs: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(program)) {
            outputs[key] = isOutput(value) ? await Promise.race([resolve(value), failure]) : value;
        }
        // Let registrations that were started by the last outputs settle.
        await Promise.race([new Promise((r) => setTimeout(r, 50)), failure]);
        return { stack, config, resources: mocks.resources, calls: mocks.calls, outputs, dependencies, stackReads: mocks.stackReads };
    } finally {
        process.off("unhandledRejection", onRejection);
    }
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
