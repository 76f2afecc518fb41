import assert from "node:assert/strict";
import { formatArgProblems, gatewayUrl, parseArgs } from "../../../tools/loadtest/args";

const OK = ["--url", "http://127.0.0.1:8080", "--rps", "2000", "--duration", "60s"];

function problemsOf(argv: string[]): { option: string; given: string; allowed: string }[] {
    const result = parseArgs(argv);
    assert.equal(result.kind, "error", `expected ${JSON.stringify(argv)} to be refused`);
    return result.kind === "error" ? [...result.problems] : [];
}

describe("loadtest arguments", () => {
    it("reads the issue's command line with its defaults", () => {
        const result = parseArgs([...OK, "--endpoint", "ethpath_1764014188689_1764014188693"]);
        assert.equal(result.kind, "ok");
        if (result.kind !== "ok") return;
        const o = result.options;
        assert.equal(o.target.href, "http://127.0.0.1:8080/api/gateway?endpoint=ethpath_1764014188689_1764014188693");
        assert.equal(o.rps, 2000);
        assert.equal(o.durationMs, 60_000);
        assert.equal(o.warmupMs, 0);
        assert.equal(o.timeoutMs, 10_000);
        assert.equal(o.rpcMethod, "eth_blockNumber");
        assert.deepEqual(o.thresholds, { maxErrorRate: 0.01, maxP95Ms: 500, minInstances: 0 });
        assert.equal(o.json, false);
    });

    it("accepts --name=value, units and percentages", () => {
        const result = parseArgs([
            "--url=https://gw.example.com/custom/path",
            "--rps=10",
            "--duration=1.5m",
            "--warmup=500ms",
            "--max-error-rate=0.5%",
            "--max-p95=0.25s",
            "--min-instances=4",
            "--method=net_version",
            "--json",
        ]);
        assert.equal(result.kind, "ok");
        if (result.kind !== "ok") return;
        assert.equal(result.options.target.href, "https://gw.example.com/custom/path");
        assert.equal(result.options.durationMs, 90_000);
        assert.equal(result.options.warmupMs, 500);
        assert.deepEqual(result.options.thresholds, { maxErrorRate: 0.005, maxP95Ms: 250, minInstances: 4 });
        assert.equal(result.options.rpcMethod, "net_version");
        assert.equal(result.options.json, true);
    });

    it("answers --help without requiring anything else", () => {
        assert.equal(parseArgs(["--help"]).kind, "help");
    });

    // Each row: the arguments, the option blamed, and a fragment of what is allowed.
    const bad: [string, string[], string, RegExp][] = [
        ["no url", ["--rps", "1", "--duration", "1s"], "--url", /required/],
        ["ftp url", ["--url", "ftp://h", "--rps", "1", "--duration", "1s"], "--url", /http:\/\/ or https:\/\//],
        ["not a url", ["--url", "localhost:80", "--rps", "1", "--duration", "1s"], "--url", /absolute/],
        ["credentials in url", ["--url", "http://u:p@h", "--rps", "1", "--duration", "1s"], "--url", /without credentials/],
        ["no rps", ["--url", "http://h", "--duration", "1s"], "--rps", /required/],
        ["zero rps", [...OK.slice(0, 2), "--rps", "0", "--duration", "1s"], "--rps", /integer from 1 to 50000/],
        ["fractional rps", [...OK.slice(0, 2), "--rps", "2.5", "--duration", "1s"], "--rps", /integer/],
        ["exponent rps", [...OK.slice(0, 2), "--rps", "2e3", "--duration", "1s"], "--rps", /integer/],
        ["negative rps", [...OK.slice(0, 2), "--rps=-5", "--duration", "1s"], "--rps", /integer/],
        ["huge rps", [...OK.slice(0, 2), "--rps", "1000000", "--duration", "1s"], "--rps", /50000/],
        ["no duration", ["--url", "http://h", "--rps", "1"], "--duration", /required/],
        ["unit typo", [...OK.slice(0, 4), "--duration", "60sec"], "--duration", /500ms, 30s, 2m/],
        ["zero duration", [...OK.slice(0, 4), "--duration", "0s"], "--duration", /from 1ms/],
        ["two hours", [...OK.slice(0, 4), "--duration", "2h"], "--duration", /to 3600s/],
        ["error rate 0", [...OK, "--max-error-rate", "0"], "--max-error-rate", /above 0/],
        ["error rate > 100 %", [...OK, "--max-error-rate", "150%"], "--max-error-rate", /at most 1/],
        ["error rate word", [...OK, "--max-error-rate", "low"], "--max-error-rate", /percentage/],
        ["p95 word", [...OK, "--max-p95", "fast"], "--max-p95", /time/],
        ["endpoint with a slash", [...OK, "--endpoint", "a/b"], "--endpoint", /A-Z a-z 0-9/],
        ["endpoint with a query", [...OK, "--endpoint", "a&x=1"], "--endpoint", /A-Z a-z 0-9/],
        ["method with a quote", [...OK, "--method", 'eth_"x'], "--method", /JSON-RPC method/],
        ["connections 0", [...OK, "--connections", "0"], "--connections", /1 to 10000/],
        ["unknown option", [...OK, "--rate", "5"], "--rate", /one of --url/],
        ["value missing at the end", [...OK, "--endpoint"], "--endpoint", /a value/],
        ["value missing before the next option", ["--url", "--rps", "1", "--duration", "1s"], "--url", /a value/],
        ["option given twice", [...OK, "--rps", "5"], "--rps", /once/],
        ["positional argument", [...OK, "extra"], "(positional)", /--name value/],
        ["flag with a value", [...OK, "--json=yes"], "--json", /flag without a value/],
    ];
    for (const [name, argv, option, allowed] of bad) {
        it(`refuses ${name}, naming ${option}`, () => {
            const problems = problemsOf(argv);
            const hit = problems.find((p) => p.option === option);
            assert.ok(hit, `no problem for ${option} in ${JSON.stringify(problems)}`);
            assert.match(hit.allowed, allowed);
        });
    }

    it("reports every problem at once, with what was given", () => {
        const problems = problemsOf(["--url", "nope", "--rps", "x", "--duration", "forever"]);
        assert.deepEqual(
            problems.map((p) => [p.option, p.given]),
            [
                ["--url", "nope"],
                ["--rps", "x"],
                ["--duration", "forever"],
            ],
        );
        const text = formatArgProblems(problems);
        assert.match(text, /3 problems/);
        assert.match(text, /--rps = "x": an integer from 1 to 50000/);
    });

    it("keeps an explicit path and replaces an existing endpoint parameter", () => {
        assert.equal(
            gatewayUrl(new URL("http://h/api/gateway?endpoint=old"), "new").href,
            "http://h/api/gateway?endpoint=new",
        );
        assert.equal(gatewayUrl(new URL("http://h"), null).href, "http://h/api/gateway");
    });
});
