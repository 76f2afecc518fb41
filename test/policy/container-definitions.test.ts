import * as assert from "assert";
import { environmentOf, parseContainerDefinitions } from "../../policy/container-definitions";

describe("containerDefinitions parser (policy/container-definitions.ts)", () => {
    const bad: [string, unknown, RegExp][] = [
        ["missing", undefined, /missing or not a JSON string/],
        ["an array instead of a JSON string", [{ name: "web" }], /missing or not a JSON string/],
        ["not JSON", "[{", /not valid JSON \(/],
        ["a JSON object, not an array", '{"name":"web"}', /must be a JSON array/],
    ];
    for (const [what, raw, error] of bad) {
        it(`refuses ${what}, saying why`, () => {
            const parsed = parseContainerDefinitions(raw);
            assert.ok(!parsed.ok);
            assert.match(parsed.error, error);
        });
    }

    it("reads name, image, environment, secrets and stopTimeout; skips entries that are not objects", () => {
        const raw = JSON.stringify([
            "not a container",
            {
                name: "web",
                image: "repo@sha256:abc",
                environment: [{ name: "A", value: "1" }, 7, { name: "B", value: 2 }, { name: "C" }, { value: "x" }, { name: "D", value: null }],
                secrets: [{ name: "PGPASSWORD", valueFrom: "arn:secret" }, { name: "X" }],
                stopTimeout: 30,
            },
            { environment: "not a list", secrets: {}, stopTimeout: "30" },
        ]);
        const parsed = parseContainerDefinitions(raw);
        assert.ok(parsed.ok);
        assert.deepStrictEqual(parsed.containers, [
            {
                name: "web",
                image: "repo@sha256:abc",
                environment: [
                    { name: "A", value: "1" },
                    { name: "B", value: "2" },
                    { name: "C", value: "" },
                    { name: "", value: "x" },
                    { name: "D", value: "" },
                ],
                secrets: [
                    { name: "PGPASSWORD", valueFrom: "arn:secret" },
                    { name: "X", valueFrom: "" },
                ],
                stopTimeout: 30,
            },
            // Unnamed: its index among the object entries.
            { name: "#1", image: undefined, environment: [], secrets: [], stopTimeout: undefined },
        ]);
    });

    it("environmentOf: every variable once, the first container and entry that set it win", () => {
        const parsed = parseContainerDefinitions(
            JSON.stringify([
                { name: "a", environment: [{ name: "X", value: "a1" }, { name: "X", value: "a2" }] },
                { name: "b", environment: [{ name: "X", value: "b" }, { name: "Y", value: "b" }] },
            ]),
        );
        assert.ok(parsed.ok);
        assert.deepStrictEqual([...environmentOf(parsed.containers)], [["X", "a1"], ["Y", "b"]]);
        assert.deepStrictEqual([...environmentOf([])], []);
    });
});
