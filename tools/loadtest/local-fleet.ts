/**
 * `npm run loadtest:local -- --rps 300 --duration 10s [--instances 2] [--lb haproxy|proxy] [other loadtest options]`
 *
 * Starts the local fleet (tools/fleet-local/fleet.ts: real PostgreSQL, Redis, upstream
 * stub, N instances of the production build, a balancer in front), runs the load test
 * against it (--url and --endpoint are filled in) and stops everything. Status lines go
 * to stderr, so `--json` leaves nothing but the report on stdout.
 */
import { main } from "./loadtest";
import { formatArgProblems } from "./args";
import { localCapacity, projectBudgetDefaults } from "../fleet-local/budget";
import { BalancerKind, BALANCERS, Fleet, localFleetProblems, startFleet } from "../fleet-local/fleet";

/** max_connections of the load test's PostgreSQL: room for 8 instances at the default pool floor. */
export const LOADTEST_MAX_CONNECTIONS = 100;

/** Starts `instances` instances behind `lb`, each pool sized by the cloud fleet's budget. */
export async function startLocalFleet(instances: number, lb: BalancerKind): Promise<Fleet> {
    const budget = localCapacity(instances, LOADTEST_MAX_CONNECTIONS, projectBudgetDefaults());
    if (!budget.ok) {
        throw new Error(`${instances} instances do not fit max_connections ${LOADTEST_MAX_CONNECTIONS}: ${budget.problems[0]?.allowed ?? ""}`);
    }
    const fleet = await startFleet({
        replicas: instances,
        port: 0,
        maxConnections: LOADTEST_MAX_CONNECTIONS,
        poolPerTask: budget.plan.poolPerTask,
        lb,
        // A load test measures the fleet as started: no replacements mid-run.
        restart: false,
    });
    await fleet.waitAllUp().catch(async (error: unknown) => {
        await fleet.stop();
        throw error;
    });
    return fleet;
}

/** Splits `--instances N` and `--lb` off the arguments; the rest go to the load test. */
export function takeFleetArgs(argv: readonly string[]): { instances: number; lb: BalancerKind; rest: string[] } | { problems: string } {
    const rest = [...argv];
    const problems: { option: string; given: string; allowed: string }[] = [];
    const take = (name: string): string | undefined => {
        const i = rest.indexOf(name);
        if (i === -1) {
            return undefined;
        }
        const value = rest[i + 1] ?? "(no value)";
        rest.splice(i, 2);
        return value;
    };
    const rawInstances = take("--instances") ?? "2";
    const instances = Number(rawInstances);
    if (!/^\d+$/.test(rawInstances) || instances < 1 || instances > 8) {
        problems.push({ option: "--instances", given: rawInstances, allowed: "an integer from 1 to 8" });
    }
    const rawLb = take("--lb") ?? "haproxy";
    const lb = BALANCERS.find((b) => b === rawLb);
    if (lb === undefined) {
        problems.push({ option: "--lb", given: rawLb, allowed: `one of ${BALANCERS.join(", ")}` });
    }
    return problems.length > 0 || lb === undefined ? { problems: formatArgProblems(problems, "loadtest:local") } : { instances, lb, rest };
}

export async function runLocal(argv: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
    const args = takeFleetArgs(argv);
    if ("problems" in args) {
        err(args.problems);
        return 2;
    }
    const problems = localFleetProblems({ lb: args.lb });
    if (problems.length > 0) {
        err(`loadtest:local: cannot start a local fleet here:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        return 2;
    }
    const fleet = await startLocalFleet(args.instances, args.lb);
    err(`loadtest:local: ${args.instances} instances behind ${fleet.lbDescription} at ${fleet.url}, endpoint ${fleet.endpointId}`);
    try {
        return await main(["--url", fleet.url, "--endpoint", fleet.endpointId, ...args.rest], { out, err });
    } finally {
        await fleet.stop();
    }
}

if (require.main === module) {
    runLocal(process.argv.slice(2), (l) => process.stdout.write(`${l}\n`), (l) => process.stderr.write(`${l}\n`)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`loadtest:local: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exitCode = 2;
        },
    );
}
