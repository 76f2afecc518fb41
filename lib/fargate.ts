/**
 * Fargate task sizes. AWS accepts only these CPU → memory (MiB) combinations; anything
 * else fails at `RegisterTaskDefinition`, long after `pulumi preview` said it was fine.
 * Source: the Amazon ECS Developer Guide, task definition parameters, "Task size".
 */

interface MemoryRange {
    readonly min: number;
    readonly max: number;
    readonly step: number;
    /** Explicit list for sizes that are not an arithmetic range. */
    readonly list?: readonly number[];
}

/** CPU units (1024 = 1 vCPU) → allowed memory in MiB. */
export const FARGATE_SIZES: ReadonlyMap<number, MemoryRange> = new Map<number, MemoryRange>([
    [256, { min: 512, max: 2048, step: 512, list: [512, 1024, 2048] }],
    [512, { min: 1024, max: 4096, step: 1024 }],
    [1024, { min: 2048, max: 8192, step: 1024 }],
    [2048, { min: 4096, max: 16384, step: 1024 }],
    [4096, { min: 8192, max: 30720, step: 1024 }],
    [8192, { min: 16384, max: 61440, step: 4096 }],
    [16384, { min: 32768, max: 122880, step: 8192 }],
]);

/** Memory sizes Fargate offers for a CPU value; empty when the CPU value is not offered. */
export function memoryOptions(cpu: number): number[] {
    const range = FARGATE_SIZES.get(cpu);
    if (!range) {
        return [];
    }
    if (range.list) {
        return [...range.list];
    }
    const options: number[] = [];
    for (let m = range.min; m <= range.max; m += range.step) {
        options.push(m);
    }
    return options;
}

export function isValidFargateSize(cpu: number, memory: number): boolean {
    return memoryOptions(cpu).includes(memory);
}

/** "2048–8192 in steps of 1024" — for error messages. */
export function describeMemoryOptions(cpu: number): string {
    const range = FARGATE_SIZES.get(cpu);
    if (!range) {
        return "none";
    }
    if (range.list) {
        return range.list.join(", ");
    }
    return `${range.min}–${range.max} in steps of ${range.step}`;
}

export const FARGATE_CPU_VALUES: readonly number[] = [...FARGATE_SIZES.keys()];

export type CpuArchitecture = "X86_64" | "ARM64";
export const CPU_ARCHITECTURES: readonly CpuArchitecture[] = ["X86_64", "ARM64"];

/** The docker build platform must match the task's CPU architecture, or the task fails with "exec format error". */
export function dockerPlatform(arch: CpuArchitecture): "linux/amd64" | "linux/arm64" {
    return arch === "ARM64" ? "linux/arm64" : "linux/amd64";
}
