/**
 * The app's JSON-RPC upstream stub (app/local/upstream-stub.ts) in a process of
 * its own: in the benchmark process it would share an event loop with the fixed-rate
 * generator, and the cache-miss path's upstream calls would delay the sender.
 * Prints its URL as one line, then serves until SIGTERM.
 */
import { UpstreamStub } from "../../app/local/upstream-stub";

async function main(): Promise<void> {
    const stub = await UpstreamStub.start();
    process.stdout.write(`${stub.url}\n`);
    process.on("SIGTERM", () => {
        void stub.close().then(() => process.exit(0));
    });
}

void main();
