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
    /** Hold answers until this many ms after the server started (a stall). */
    readonly stallUntilMs?: number;
}

export async function startBackend(behaviour: BackendBehaviour): Promise<Listening> {
    const startedAt = Date.now();
    // Answers still held when the backend closes are dropped, so no timer outlives the test.
    const timers = new Set<NodeJS.Timeout>();
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
            const stall = behaviour.stallUntilMs === undefined ? 0 : startedAt + behaviour.stallUntilMs - Date.now();
            const wait = Math.max(behaviour.delayMs ?? 0, stall);
            if (wait > 0) {
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
            timers.forEach(clearTimeout);
            await listening.close();
        },
    };
}
