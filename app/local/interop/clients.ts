/**
 * ethers 6 and viem 2 clients for one JSON-RPC URL (a node directly, or the gateway in
 * front of it), built the way their docs show, with their default batching; and the
 * shapes the interop suite compares: what an application would look at in an answer
 * or an error, minus what is only the client's own bookkeeping (request ids).
 */
import fs from "node:fs";
import path from "node:path";
import { ContractFactory, type InterfaceAbi, JsonRpcProvider, Wallet } from "ethers";
import { type Abi, type Address, createPublicClient, createWalletClient, defineChain, type Hex, http, type PublicClient, type WalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** Made by scripts/compile-interop-contract.js from Interop.sol (solc-js, nothing downloaded). */
const contract: { abi: Abi & InterfaceAbi; bytecode: Hex } = JSON.parse(fs.readFileSync(path.join(__dirname, "interop-contract.json"), "utf8"));
export const INTEROP_ABI = contract.abi;
export const INTEROP_BYTECODE = contract.bytecode;

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null;
}

export interface Clients {
    readonly url: string;
    readonly ethers: JsonRpcProvider;
    readonly viem: PublicClient;
    readonly viemWallet: WalletClient;
    wallet(key: string): Wallet;
    close(): void;
}

/** Client polling every 100 ms instead of 4 s, so waiting for a receipt does not stall the suite. */
const POLL_MS = 100;

export function clientsFor(url: string, chainId: number, key: Hex): Clients {
    // cacheTimeout -1: ethers otherwise reuses an identical request's answer for 250 ms, and
    // the suite sends from one account with both clients in quick succession (a stale nonce).
    const ethers = new JsonRpcProvider(url, undefined, { polling: true, pollingInterval: POLL_MS, cacheTimeout: -1 });
    const chain = defineChain({
        id: chainId,
        name: `interop-${chainId}`,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [url] } },
    });
    // viem's documented default batching: `batch: true` sends up to 1,000 calls per request.
    const transport = http(url, { batch: true, retryCount: 0 });
    const viem = createPublicClient({ chain, transport, pollingInterval: POLL_MS });
    const viemWallet = createWalletClient({ chain, transport, account: privateKeyToAccount(key), pollingInterval: POLL_MS });
    return {
        url,
        ethers,
        viem,
        viemWallet,
        wallet: (k) => new Wallet(k, ethers),
        close: () => ethers.destroy(),
    };
}

export async function deployInterop(wallet: Wallet): Promise<Address> {
    const factory = new ContractFactory(INTEROP_ABI, INTEROP_BYTECODE, wallet);
    const deployed = await factory.deploy();
    await deployed.waitForDeployment();
    const address = await deployed.getAddress();
    if (!/^0x[0-9a-fA-F]{40}$/.test(address)) {
        throw new Error(`deploy returned a bad address ${address}`);
    }
    return `0x${address.slice(2)}`;
}

/** The parts of an ethers error an application reads (code, reason, decoded revert, data). */
export function ethersErrorShape(error: unknown): Record<string, unknown> {
    if (!isRecord(error)) {
        return { thrown: String(error) };
    }
    const e = error;
    const inner = isRecord(e.info) ? e.info.error : undefined;
    return {
        code: e.code,
        shortMessage: e.shortMessage,
        reason: e.reason,
        data: e.data,
        revert: e.revert,
        action: e.action,
        // The node's own error object (code, message, data), as ethers kept it.
        nodeError: inner,
    };
}

/** The parts of a viem error an application reads: the error chain's names, reason and decoded data. */
export function viemErrorShape(error: unknown): Record<string, unknown> {
    const chain: Record<string, unknown>[] = [];
    let current: unknown = error;
    while (isRecord(current) && chain.length < 6) {
        const e = current;
        const data = isRecord(e.data) ? e.data : undefined;
        chain.push({
            name: e.name,
            shortMessage: e.shortMessage,
            reason: e.reason,
            code: e.code,
            errorName: data?.errorName,
            args: data?.args,
            signature: e.signature,
            raw: e.raw,
        });
        current = e.cause;
    }
    return { chain };
}

/** Runs `fn`, returning its error's shape; fails the test when it does not throw. */
export async function errorOf(fn: () => Promise<unknown>, shape: (error: unknown) => Record<string, unknown>): Promise<Record<string, unknown>> {
    try {
        await fn();
    } catch (error) {
        return shape(error);
    }
    throw new Error("expected the call to fail, and it succeeded");
}
