/**
 * Real Ethereum nodes for the interop suite, on loopback, from npm packages only:
 * ganache 7 in-process and Hardhat 2's node as a child process. Both start with the
 * same funded accounts (ACCOUNT_KEYS), so every scenario runs unchanged on either.
 */
import path from "node:path";
import ganache from "ganache";
import { Child } from "../child";
import { freePort, waitFor } from "../ports";

/** Test-only keys (never used anywhere real); each account starts with 1,000 ETH. */
export const ACCOUNT_KEYS: readonly `0x${string}`[] = [`0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`];
const BALANCE_WEI = 1000n * 10n ** 18n;

export interface EthNode {
    readonly name: string;
    readonly url: string;
    readonly chainId: number;
    stop(): Promise<void>;
}

export async function startGanache(): Promise<EthNode> {
    const chainId = 1337;
    const server = ganache.server({
        logging: { quiet: true },
        chain: { chainId },
        wallet: { accounts: ACCOUNT_KEYS.map((secretKey) => ({ secretKey, balance: `0x${BALANCE_WEI.toString(16)}` })) },
    });
    const port = await freePort();
    await server.listen(port, "127.0.0.1");
    return { name: "ganache 7", url: `http://127.0.0.1:${port}`, chainId, stop: () => server.close() };
}

const INTEROP_DIR = __dirname;
const HARDHAT_CLI = path.join(require.resolve("hardhat/package.json"), "..", "internal", "cli", "cli.js");

export async function startHardhat(): Promise<EthNode> {
    const chainId = 31337;
    const port = await freePort();
    const child = new Child(process.execPath, [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
        // hardhat.config.js beside this file: no sources, so Hardhat never fetches a compiler.
        cwd: INTEROP_DIR,
        env: {
            PATH: process.env.PATH ?? "",
            HOME: process.env.HOME ?? INTEROP_DIR,
            HARDHAT_DISABLE_TELEMETRY_PROMPT: "true",
            WEBFLEET_INTEROP_CHAIN_ID: String(chainId),
            WEBFLEET_INTEROP_ACCOUNTS: JSON.stringify(ACCOUNT_KEYS.map((privateKey) => ({ privateKey, balance: BALANCE_WEI.toString() }))),
        },
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
        "Hardhat's node to answer eth_chainId",
        async () => {
            if (!child.running) {
                throw new Error(`hardhat node exited (${child.exitCode}): ${child.tail()}`);
            }
            const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' });
            return res.ok;
        },
        60_000,
        200,
    );
    return {
        name: "Hardhat 2",
        url,
        chainId,
        stop: async () => {
            await child.stop("SIGTERM", 5000);
        },
    };
}
