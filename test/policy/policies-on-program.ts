/**
 * Runs every policy of the pack on the resources the real program registers under mocks,
 * for one stack (one stack per process: see tools/mock-runner/run-program.ts). Prints the
 * violations as JSON on the last line.
 *
 * Mocks do not report dependencies, so `propertyDependencies` are rebuilt the way the
 * engine would see them: an input that holds another resource's mocked id (`<name>-id`)
 * or ARN depends on that resource. Secrets reach policies as plain values (the engine unwraps
 * them), so the mocks' serialized secrets are unwrapped here too.
 */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policy/policies";
import { mockArn } from "../../tools/mock-runner/mocks";
import { RecordedResource, runProgram } from "../../tools/mock-runner/run-program";
import { checkResource, checkStack, resource } from "./fakes";

function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const fields = new Map(Object.entries(value));
    if (fields.get(specialSigKey) === specialSecretSig) {
        return unwrapSecrets(fields.get("value"));
    }
    return Object.fromEntries([...fields].map(([k, v]) => [k, unwrapSecrets(v)]));
}

function plainInputs(r: RecordedResource): Record<string, unknown> {
    return Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, unwrapSecrets(v)]));
}

function withDependencies(recorded: readonly RecordedResource[], stack: string): PolicyResource[] {
    const bare = new Map<string, PolicyResource>();
    for (const r of recorded) {
        const plain = resource(r.type, r.name, plainInputs(r), { stack });
        bare.set(`${r.name}-id`, plain);
        bare.set(mockArn(r.name), plain);
    }
    return recorded.map((r) => {
        const deps: Record<string, PolicyResource[]> = {};
        for (const [key, value] of Object.entries(r.inputs)) {
            const ids = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
            const found = ids.map((id) => bare.get(id)).filter((d): d is PolicyResource => d !== undefined);
            if (found.length > 0) {
                deps[key] = found;
            }
        }
        return resource(r.type, r.name, plainInputs(r), { stack, deps });
    });
}

async function main(stack: string, overrides: Record<string, string>): Promise<void> {
    const run = await runProgram(stack, overrides);
    const resources = withDependencies(run.resources, stack);
    const violations: string[] = [];
    for (const policy of policies) {
        if ("validateStack" in policy) {
            const stackPolicy: StackValidationPolicy = policy;
            const outcome = await checkStack(stackPolicy, resources);
            violations.push(...outcome.violations.map((v) => `${policy.name}: ${v.message}`));
            continue;
        }
        const resourcePolicy: ResourceValidationPolicy = policy;
        for (const r of resources) {
            const outcome = await checkResource(resourcePolicy, r.type, r.props, { name: r.name, stack });
            violations.push(...outcome.violations.map((v) => `${policy.name}: ${v.message}`));
        }
    }
    process.stdout.write(`\n${JSON.stringify(violations)}\n`);
}

main(process.argv[2] ?? "dev", JSON.parse(process.argv[3] ?? "{}")).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
});
