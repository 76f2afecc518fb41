/**
 * Fake arguments for calling a policy's validate function directly, the way the policy
 * engine would. (A PolicyPack is never constructed here: it reads package.json and
 * starts a gRPC server.)
 */
import {
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

/** Thrown by the fake `notApplicable`, as the real one throws to end the policy. */
export class NotApplicable extends Error {}

export interface Violation {
    readonly message: string;
    readonly urn?: string;
}

export interface Outcome {
    readonly violations: readonly Violation[];
    /** The reason given to `notApplicable`, when the policy called it. */
    readonly notApplicable?: string;
}

type Config = Readonly<Record<string, unknown>>;

const OPTS: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

export function urnOf(type: string, name: string, stack = "dev"): string {
    return `urn:pulumi:${stack}::webfleet::${type}::${name}`;
}

function notApplicable(reason?: string): never {
    throw new NotApplicable(reason ?? "");
}

function configGetter(config: Config): <T extends object>() => T {
    // The engine hands each policy its JSON config; the test decides what it holds.
    return <T extends object>(): T => ({ ...config }) as T;
}

export interface FakeResourceOptions {
    readonly stack?: string;
    /** propertyDependencies: property name → the resources that fed it. */
    readonly deps?: Readonly<Record<string, readonly PolicyResource[]>>;
}

/** A resource as a stack policy sees it. */
export function resource(type: string, name: string, props: Record<string, unknown>, options: FakeResourceOptions = {}): PolicyResource {
    const propertyDependencies: Record<string, PolicyResource[]> = {};
    for (const [key, value] of Object.entries(options.deps ?? {})) {
        propertyDependencies[key] = [...value];
    }
    return {
        type,
        name,
        props,
        urn: urnOf(type, name, options.stack),
        opts: OPTS,
        dependencies: Object.values(propertyDependencies).flat(),
        propertyDependencies,
        isType: () => false,
        asType: () => undefined,
    };
}

async function collect(run: (report: (message: string, urn?: string) => void) => Promise<void> | void): Promise<Outcome> {
    const violations: Violation[] = [];
    try {
        await run((message, urn) => violations.push(urn === undefined ? { message } : { message, urn }));
    } catch (e) {
        if (e instanceof NotApplicable) {
            return { violations, notApplicable: e.message };
        }
        throw e;
    }
    return { violations };
}

/** Calls every validateResource of `policy` on one resource. */
export function checkResource(
    policy: ResourceValidationPolicy,
    type: string,
    props: Record<string, unknown>,
    options: { name?: string; stack?: string; config?: Config } = {},
): Promise<Outcome> {
    const name = options.name ?? "res";
    const args: ResourceValidationArgs = {
        type,
        props,
        urn: urnOf(type, name, options.stack),
        name,
        opts: OPTS,
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: configGetter(options.config ?? {}),
        notApplicable,
    };
    const validations = policy.validateResource === undefined ? [] : [policy.validateResource].flat();
    return collect(async (report) => {
        for (const validate of validations) {
            await validate(args, report);
        }
    });
}

/** Calls `policy.validateStack` on a whole fake stack. */
export function checkStack(policy: StackValidationPolicy, resources: readonly PolicyResource[], config: Config = {}): Promise<Outcome> {
    const args: StackValidationArgs = {
        resources: [...resources],
        stackTags: new Map(),
        getConfig: configGetter(config),
        notApplicable,
    };
    return collect((report) => policy.validateStack(args, report));
}

/** The messages only, for assertions that read like the output. */
export function messages(outcome: Outcome): string[] {
    return outcome.violations.map((v) => v.message);
}

