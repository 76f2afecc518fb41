/**
 * The arrival rate of the benchmark's fixed-rate runs: 70 % of each server's capacity
 * (issue 10), never more than the sender can hold.
 *
 * A server's capacity at fixed concurrency (wrk, c=64) overstates what it can take from
 * requests arriving one at a time: there, one wake-up serves many requests; here, each
 * request wakes the process and pays its system calls alone. Measured in BENCHMARKS.md
 * runs 12–13: the gateway's miss path asked for 70 % of its c=64 rate (capped at
 * 2,000/s) kept its core 81–95 % busy, so its p99 was that of a nearly saturated server.
 *
 * So the rate starts at 70 % of the c=64 median (capped), and each short probe run at
 * that rate reads how busy the server's core was. While the core is busier than 70 %
 * (plus a tolerance for noise), the rate is scaled down by 0.7 ÷ busy share and probed
 * again, at most `maxProbes` times. The rate is only ever lowered.
 */

export interface OpenRatePolicy {
    /** Share of the c=64 median asked first. */
    readonly fraction: number;
    /** The sender's limit, req/s. */
    readonly cap: number;
    /** Wanted core busy share at the chosen rate. */
    readonly targetBusy: number;
    /** A probe this much above the target still counts as on target (measurement noise). */
    readonly tolerance: number;
    readonly maxProbes: number;
}

export const OPEN_RATE_POLICY: Omit<OpenRatePolicy, "cap"> = { fraction: 0.7, targetBusy: 0.7, tolerance: 0.05, maxProbes: 3 };

/** Why the fixed-rate runs asked for the rate they asked for. */
export type OpenRateBasis = "concurrency" | "cap" | "busy";

export interface ProbeReading {
    readonly rate: number;
    /** The server's CPU time over the probe's wall time (NaN when it could not be read). */
    readonly busyShare: number;
}

export interface ChosenRate {
    readonly rate: number;
    readonly basis: OpenRateBasis;
}

/** 70 % of the c=64 median, at least 1 and at most the cap. */
export function startingRate(closedRps: number, policy: Pick<OpenRatePolicy, "fraction" | "cap">): ChosenRate {
    const wanted = Math.max(1, Math.round(closedRps * policy.fraction));
    return wanted > policy.cap ? { rate: policy.cap, basis: "cap" } : { rate: wanted, basis: "concurrency" };
}

/**
 * The rate after a probe: unchanged when the core was at most `targetBusy + tolerance`
 * busy (or the reading is missing), else scaled down toward `targetBusy`.
 */
export function nextRate(reading: ProbeReading, policy: Pick<OpenRatePolicy, "targetBusy" | "tolerance">): number {
    if (!Number.isFinite(reading.busyShare) || reading.busyShare <= policy.targetBusy + policy.tolerance) {
        return reading.rate;
    }
    return Math.max(1, Math.floor((reading.rate * policy.targetBusy) / reading.busyShare));
}

/**
 * Probes from the starting rate down until the core is on target or `maxProbes` probes
 * ran. `probe(rate)` runs the server at `rate` and returns its busy share.
 */
export async function calibrateOpenRate(
    closedRps: number,
    policy: OpenRatePolicy,
    probe: (rate: number) => Promise<number>,
): Promise<ChosenRate & { readonly probes: readonly ProbeReading[] }> {
    const start = startingRate(closedRps, policy);
    const probes: ProbeReading[] = [];
    let rate = start.rate;
    for (let i = 0; i < policy.maxProbes; i++) {
        const reading = { rate, busyShare: await probe(rate) };
        probes.push(reading);
        const next = nextRate(reading, policy);
        if (next === rate) {
            break;
        }
        rate = next;
    }
    return { rate, basis: rate < start.rate ? "busy" : start.basis, probes };
}
