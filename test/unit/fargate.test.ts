import * as assert from "assert";
import { describeMemoryOptions, dockerPlatform, FARGATE_CPU_VALUES, isValidFargateSize, memoryOptions } from "../../lib/fargate";

describe("Fargate task sizes (lib/fargate)", () => {
    // The AWS table, written out in full so a typo in the generator shows up here.
    const table: Array<[number, number[]]> = [
        [256, [512, 1024, 2048]],
        [512, [1024, 2048, 3072, 4096]],
        [1024, [2048, 3072, 4096, 5120, 6144, 7168, 8192]],
        [2048, Array.from({ length: 13 }, (_, i) => 4096 + i * 1024)],
        [4096, Array.from({ length: 23 }, (_, i) => 8192 + i * 1024)],
        [8192, Array.from({ length: 12 }, (_, i) => 16384 + i * 4096)],
        [16384, Array.from({ length: 12 }, (_, i) => 32768 + i * 8192)],
    ];

    it("offers exactly the CPU values AWS offers", () => {
        assert.deepStrictEqual([...FARGATE_CPU_VALUES], table.map(([cpu]) => cpu));
    });

    for (const [cpu, memories] of table) {
        it(`cpu ${cpu}: ${memories[0]}–${memories[memories.length - 1]} MiB`, () => {
            assert.deepStrictEqual(memoryOptions(cpu), memories);
        });
    }

    it("accepts every listed pair and rejects every other memory size in 512 MiB steps up to 128 GiB", () => {
        for (const cpu of [128, ...FARGATE_CPU_VALUES, 3072]) {
            const allowed = new Set(table.find(([c]) => c === cpu)?.[1] ?? []);
            for (let memory = 512; memory <= 131072; memory += 512) {
                assert.strictEqual(isValidFargateSize(cpu, memory), allowed.has(memory), `${cpu}/${memory}`);
            }
        }
    });

    it("describes the options for error messages", () => {
        assert.strictEqual(describeMemoryOptions(256), "512, 1024, 2048");
        assert.strictEqual(describeMemoryOptions(1024), "2048–8192 in steps of 1024");
        assert.strictEqual(describeMemoryOptions(3), "none");
    });

    it("builds for the platform of the task's CPU architecture", () => {
        assert.strictEqual(dockerPlatform("X86_64"), "linux/amd64");
        assert.strictEqual(dockerPlatform("ARM64"), "linux/arm64");
    });
});
