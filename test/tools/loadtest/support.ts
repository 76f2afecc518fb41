/**
 * Loopback stand-ins for a fleet's tasks: small JSON-RPC backends that name themselves
 * in `x-instance-id`. The round-robin proxy in front of them (the ALB's part) lives in
 * tools/loadtest/proxy.ts, shared with the manual local-fleet run.
 */
import http from "node:http";
import { listen, Listening } from "../../../tools/loadtest/proxy";

export { Listening, startRoundRobinProxy } from "../../../tools/loadtest/proxy";

export interface BackendBehaviour {
    readonly id: string;
    /** HTTP status to answer with (default 200). */
    readonly status?: number;
    /** Hold every answer this long, ms (default 0). */
    readonly delayMs?: number;
    /** Hold every answer until this stall is over (shared by backends that stall together). */
    readonly stall?: Stall;
}

/**
 * A stall that starts when the first request reaches any backend sharing it and holds
 * every answer until it is over. It records when it started and ended (performance.now,
 * the clock the load generator measures with), so a test can state its bounds in terms of
 * what happened rather than of how fast the machine was; it lasts at least `ms` (a timer
 * may fire up to a millisecond early, so it waits again until `ms` have really passed).
 */
export class Stall {
    private ends: Promise<void> | undefined;
    private startedAt = Number.NaN;
    private endedAt = Number.NaN;

    constructor(readonly ms: number) {}

    /** Starts the stall on the first call; resolves when it is over. */
    over(): Promise<void> {
        this.ends ??= this.hold();
        return this.ends;
    }

    /** How long the stall held answers, ms (NaN until it is over); at least `ms`. */
    get heldMs(): number {
        return this.endedAt - this.startedAt;
    }

    private async hold(): Promise<void> {
        this.startedAt = performance.now();
        for (let left = this.ms; left > 0; left = this.startedAt + this.ms - performance.now()) {
            await new Promise((resolve) => setTimeout(resolve, Math.ceil(left)));
        }
        this.endedAt = performance.now();
    }
}

export async function startBackend(behaviour: BackendBehaviour): Promise<Listening> {
    // Answers still held when the backend closes are dropped, so no timer outlives the test.
    const timers = new Set<NodeJS.Timeout>();
    let closed = false;
    const server = http.createServer((req, res) => {
        req.resume();
        req.on("end", () => {
            const status = behaviour.status ?? 200;
            const payload =
                status < 400
                    ? { jsonrpc: "2.0", id: 1, result: "0x10" }
                    : { jsonrpc: "2.0", id: 1, error: { code: -32603, message: "upstream failed" } };
            const send = (): void => {
                res.writeHead(status, { "content-type": "application/json", "x-instance-id": behaviour.id });
                res.end(JSON.stringify(payload));
            };
            const wait = behaviour.delayMs ?? 0;
            if (behaviour.stall !== undefined) {
                void behaviour.stall.over().then(() => (closed ? undefined : send()));
            } else if (wait > 0) {
                const timer = setTimeout(() => {
                    timers.delete(timer);
                    send();
                }, wait);
                timers.add(timer);
            } else {
                send();
            }
        });
    });
    const listening = await listen(server);
    return {
        url: listening.url,
        close: async () => {
            closed = true;
            timers.forEach(clearTimeout);
            await listening.close();
        },
    };
}
