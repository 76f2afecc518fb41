/**
 * Interop (issue 14): real clients (ethers 6, viem 2) in front of real nodes (ganache 7,
 * Hardhat 2), each scenario made directly and through the gateway, compared field by
 * field. The gateway must be invisible: same results, same errors, same revert data.
 * Node and client versions are pinned in app/package.json and listed in app/README.md.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { Contract, type Wallet } from "ethers";
import { type Address, getAddress, parseAbiItem } from "viem";
import { AppInstance } from "../local/app";
import { Child } from "../local/child";
import { addEndpoint, fixture, uniqueId } from "../local/fixture";
import { type Reply, request } from "../local/http";
import { type Clients, clientsFor, deployInterop, errorOf, ethersErrorShape, INTEROP_ABI, viemErrorShape } from "../local/interop/clients";
import { ACCOUNT_KEYS, type EthNode, startGanache, startHardhat } from "../local/interop/nodes";
import { sleep } from "../local/ports";

/** The TTL the gateway caches eth_blockNumber for in this suite (its default). */
const BLOCK_NUMBER_TTL_S = 1;

/** Runs the same read directly and through the gateway; both must agree. */
async function same<T>(direct: Clients, gateway: Clients, read: (c: Clients) => Promise<T>): Promise<T> {
    const a = await read(direct);
    const b = await read(gateway);
    assert.deepStrictEqual(b, a);
    return a;
}

/** A raw JSON-RPC POST to a node (`url`) or to the gateway. */
async function post(url: string, body: string): Promise<Reply> {
    const u = new URL(url);
    return request(Number(u.port), "POST", `${u.pathname}${u.search}`, body, { agent: false });
}

function parsed(reply: Reply): unknown {
    return JSON.parse(reply.text);
}

/**
 * ganache 7 puts a JavaScript stack trace into its error objects; the frames name the
 * code path (single call or batch), which is the node's business, not the gateway's.
 */
function withoutStack(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(withoutStack);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "stack").map(([k, v]) => [k, withoutStack(v)]));
    }
    return value;
}

describe("interop: ethers 6 and viem 2 through the gateway to ganache 7 and Hardhat 2", function () {
    this.timeout(120_000);
    let app: AppInstance;
    let contractCheck: Child;

    before(async function () {
        this.timeout(180_000);
        // The committed bytecode must be what solc-js makes of the source; checked alongside startup.
        contractCheck = new Child(process.execPath, [path.join(__dirname, "..", "scripts", "compile-interop-contract.js"), "--check"], {
            cwd: path.join(__dirname, ".."),
        });
        app = await AppInstance.start(fixture(), { CACHE_TTLS: `eth_chainId=3600,eth_blockNumber=${BLOCK_NUMBER_TTL_S}` }, "interop");
    });
    after(async () => {
        await app?.stop();
        await contractCheck?.stop();
    });

    it("the committed contract bytecode matches Interop.sol (solc-js)", async () => {
        const code = await contractCheck.exited;
        assert.equal(code, 0, contractCheck.tail());
    });

    // viem decodes a revert only from `execution reverted` errors (code 3, as geth and
    // Hardhat send); ganache 7 answers -32000 "VM Exception…", which viem reports as
    // InvalidInputRpcError even when it talks to ganache directly. ethers decodes both.
    for (const [label, start, viemRevertError] of [
        ["ganache 7", startGanache, "InvalidInputRpcError"],
        ["Hardhat 2", startHardhat, "ContractFunctionRevertedError"],
    ] as const) {
        describe(label, () => {
            let node: EthNode;
            let endpoint: string;
            let gatewayUrl: string;
            let direct: Clients;
            let gateway: Clients;
            let sender: Wallet;
            let interop: Address;
            const [key, otherKey] = ACCOUNT_KEYS;

            before(async function () {
                this.timeout(120_000);
                node = await start();
                endpoint = uniqueId("interop");
                await addEndpoint(endpoint, node.url);
                gatewayUrl = `http://127.0.0.1:${app.port}/api/gateway?endpoint=${endpoint}`;
                direct = clientsFor(node.url, node.chainId, key);
                gateway = clientsFor(gatewayUrl, node.chainId, key);
                // Every write goes through the gateway: the suite proves writes, not just reads.
                sender = gateway.wallet(key);
                interop = await deployInterop(sender);
            });
            after(async () => {
                direct?.close();
                gateway?.close();
                await node?.stop();
            });

            const other = (): Address => getAddress(gateway.wallet(otherKey).address);

            it("the repro: eth_noSuchMethod → HTTP 200 with the node's own error, as direct", async () => {
                const body = '{"jsonrpc":"2.0","id":1,"method":"eth_noSuchMethod","params":[]}';
                const [a, b] = [await post(node.url, body), await post(gatewayUrl, body)];
                assert.equal(b.status, a.status);
                assert.equal(b.status, 200);
                assert.deepStrictEqual(withoutStack(parsed(b)), withoutStack(parsed(a)));
            });

            it("reads: chain id, block number, balances, nonces, blocks, code (ethers and viem)", async () => {
                // The gateway serves eth_blockNumber from its cache for up to the TTL by design
                // (the deploy's receipt polling filled it): let it expire so both paths see the head.
                await sleep(BLOCK_NUMBER_TTL_S * 1000 + 200);
                await same(direct, gateway, async (c) => ({
                    chainId: (await c.ethers.getNetwork()).chainId,
                    blockNumber: await c.ethers.getBlockNumber(),
                    balance: await c.ethers.getBalance(sender.address),
                    nonce: await c.ethers.getTransactionCount(sender.address),
                    genesis: (await c.ethers.getBlock(0))?.toJSON(),
                    latest: (await c.ethers.getBlock("latest"))?.toJSON(),
                    code: await c.ethers.getCode(interop),
                }));
                await same(direct, gateway, async (c) => ({
                    chainId: await c.viem.getChainId(),
                    blockNumber: await c.viem.getBlockNumber({ cacheTime: 0 }),
                    balance: await c.viem.getBalance({ address: other() }),
                    nonce: await c.viem.getTransactionCount({ address: other() }),
                    block: await c.viem.getBlock({ blockNumber: 1n }),
                    code: await c.viem.getCode({ address: interop }),
                }));
            });

            it("signed transactions and receipts: ethers and viem send through the gateway; both paths read the same receipt", async () => {
                const sent = await sender.sendTransaction({ to: other(), value: 12345n });
                const mined = await sent.wait();
                assert.equal(mined?.status, 1);
                await same(direct, gateway, async (c) => ({
                    receipt: (await c.ethers.getTransactionReceipt(sent.hash))?.toJSON(),
                    tx: (await c.ethers.getTransaction(sent.hash))?.toJSON(),
                }));
                const hash = await gateway.viemWallet.sendTransaction({ to: other(), value: 777n, account: gateway.viemWallet.account ?? null, chain: gateway.viemWallet.chain });
                const receipt = await gateway.viem.waitForTransactionReceipt({ hash });
                assert.equal(receipt.status, "success");
                await same(direct, gateway, async (c) => ({
                    receipt: await c.viem.getTransactionReceipt({ hash }),
                    tx: await c.viem.getTransaction({ hash }),
                }));
            });

            it("a contract that emits events: logs, decoded events and estimateGas agree", async () => {
                const store = new Contract(interop, INTEROP_ABI, sender);
                const tx = await store.getFunction("store")(7n, "hello through the gateway");
                const receipt = await tx.wait();
                const blockNumber: number = receipt.blockNumber;
                await same(direct, gateway, async (c) => ({
                    logs: (await c.ethers.getLogs({ address: interop, fromBlock: 0, toBlock: blockNumber })).map((l) => l.toJSON()),
                    events: (await new Contract(interop, INTEROP_ABI, c.ethers).queryFilter("Stored", 0, blockNumber)).map((e) => e.toJSON()),
                    estimate: await c.ethers.estimateGas({ from: sender.address, to: interop, data: store.interface.encodeFunctionData("store", [8n, "x"]) }),
                }));
                await same(direct, gateway, async (c) => ({
                    logs: await c.viem.getLogs({
                        address: interop,
                        event: parseAbiItem("event Stored(address indexed by, uint256 indexed key, string value)"),
                        fromBlock: 0n,
                        toBlock: BigInt(blockNumber),
                    }),
                    stored: await c.viem.readContract({ address: interop, abi: INTEROP_ABI, functionName: "values", args: [7n] }),
                    estimate: await c.viem.estimateContractGas({ address: interop, abi: INTEROP_ABI, functionName: "store", args: [8n, "x"], account: getAddress(sender.address) }),
                }));
            });

            it("a revert with a reason: ethers CALL_EXCEPTION and viem ContractFunctionRevertedError, same reason and data", async () => {
                const reverts = await same(direct, gateway, async (c) => ({
                    ethersCall: await errorOf(() => new Contract(interop, INTEROP_ABI, c.ethers).getFunction("failWithReason").staticCall(), ethersErrorShape),
                    ethersEstimate: await errorOf(() => new Contract(interop, INTEROP_ABI, c.ethers).getFunction("failWithReason").estimateGas({ from: sender.address }), ethersErrorShape),
                    viemRead: await errorOf(() => c.viem.readContract({ address: interop, abi: INTEROP_ABI, functionName: "failWithReason" }), viemErrorShape),
                    viemSimulate: await errorOf(
                        () => c.viem.simulateContract({ address: interop, abi: INTEROP_ABI, functionName: "failWithReason", account: getAddress(sender.address) }),
                        viemErrorShape,
                    ),
                }));
                assert.equal(reverts.ethersCall.code, "CALL_EXCEPTION");
                assert.equal(reverts.ethersCall.reason, "Interop: no reason to succeed");
                assert.match(JSON.stringify(reverts.viemRead), new RegExp(viemRevertError));
                if (viemRevertError === "ContractFunctionRevertedError") {
                    assert.match(JSON.stringify(reverts.viemRead), /Interop: no reason to succeed/);
                }
            });

            it("a revert with custom-error data: the decoded error name and arguments agree", async () => {
                const reverts = await same(direct, gateway, async (c) => ({
                    ethers: await errorOf(() => new Contract(interop, INTEROP_ABI, c.ethers).getFunction("failWithCustomError").staticCall(5n), ethersErrorShape),
                    viem: await errorOf(() => c.viem.readContract({ address: interop, abi: INTEROP_ABI, functionName: "failWithCustomError", args: [5n] }), viemErrorShape),
                }));
                assert.deepEqual((reverts.ethers.revert as { name: string }).name, "Insufficient");
                const viemText = JSON.stringify(reverts.viem, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
                assert.match(viemText, viemRevertError === "ContractFunctionRevertedError" ? /"errorName":"Insufficient","args":\["1","5"\]/ : new RegExp(viemRevertError));
            });

            it("nonce errors and a resent transaction: the node's error, unchanged, HTTP 200", async () => {
                const nonce = await sender.getNonce();
                const raw = await sender.signTransaction({
                    to: other(),
                    value: 1n,
                    nonce,
                    gasLimit: 21000n,
                    gasPrice: (await direct.ethers.getFeeData()).gasPrice ?? 10n ** 10n,
                    chainId: BigInt(node.chainId),
                });
                const body = JSON.stringify({ jsonrpc: "2.0", id: 5, method: "eth_sendRawTransaction", params: [raw] });
                const first = await post(gatewayUrl, body);
                assert.equal(first.status, 200, first.text);
                assert.match(String((parsed(first) as { result?: string }).result), /^0x[0-9a-f]{64}$/);
                assert.equal(first.headers["x-cache"], "BYPASS", "sendRawTransaction is never cached");
                // The same raw transaction again: the node refuses it (nonce used); through the gateway the same refusal.
                const again = await post(gatewayUrl, body);
                const againDirect = await post(node.url, body);
                assert.equal(again.status, 200);
                assert.equal(again.headers["x-cache"], "BYPASS");
                assert.ok((parsed(againDirect) as { error?: unknown }).error !== undefined, againDirect.text);
                assert.deepStrictEqual(withoutStack(parsed(again)), withoutStack(parsed(againDirect)));
                await same(direct, gateway, (c) => errorOf(() => c.ethers.broadcastTransaction(raw), ethersErrorShape));
            });

            it("batches: ethers' default batching and viem's batch: true of 1,000 calls answer as direct", async () => {
                // Fresh ethers providers: their first requests go out as one batch ([eth_chainId, …]).
                const fresh = [clientsFor(node.url, node.chainId, key), clientsFor(gatewayUrl, node.chainId, key)] as const;
                try {
                    await same(fresh[0], fresh[1], async (c) => {
                        const contract = new Contract(interop, INTEROP_ABI, c.ethers);
                        const [revert, balance, nonce, stored] = await Promise.all([
                            errorOf(() => contract.getFunction("failWithReason").staticCall(), ethersErrorShape),
                            c.ethers.getBalance(sender.address),
                            c.ethers.getTransactionCount(other()),
                            contract.getFunction("values").staticCall(7n),
                        ]);
                        return { revert, balance, nonce, stored };
                    });
                } finally {
                    fresh[0].close();
                    fresh[1].close();
                }
                const addresses = Array.from({ length: 1000 }, (_, i): Address => getAddress(`0x${(i + 1).toString(16).padStart(40, "0")}`));
                const balances = await same(direct, gateway, (c) => Promise.all([...addresses.map((address) => c.viem.getBalance({ address })), c.viem.getBalance({ address: other() })]));
                assert.equal(balances.length, 1001);
                // A viem batch mixing a revert with reads: each call gets its own answer.
                await same(direct, gateway, async (c) => {
                    const [revert, chainId, stored] = await Promise.all([
                        errorOf(() => c.viem.readContract({ address: interop, abi: INTEROP_ABI, functionName: "failWithReason" }), viemErrorShape),
                        c.viem.getChainId(),
                        c.viem.readContract({ address: interop, abi: INTEROP_ABI, functionName: "values", args: [7n] }),
                    ]);
                    return { revert, chainId, stored };
                });
            });

            it("cache on a real chain: chainId served from the cache; a mined block is seen once the TTL has passed", async () => {
                const chainIdCall = '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}';
                await post(gatewayUrl, chainIdCall);
                const cached = await post(gatewayUrl, chainIdCall);
                assert.equal(cached.headers["x-cache"], "HIT");
                assert.deepStrictEqual(parsed(cached), parsed(await post(node.url, chainIdCall)));

                const blockCall = '{"jsonrpc":"2.0","id":2,"method":"eth_blockNumber","params":[]}';
                const before = BigInt((parsed(await post(gatewayUrl, blockCall)) as { result: string }).result);
                await post(node.url, '{"jsonrpc":"2.0","id":3,"method":"evm_mine","params":[]}');
                const mined = BigInt((parsed(await post(node.url, blockCall)) as { result: string }).result);
                assert.ok(mined > before);
                const soon = await post(gatewayUrl, blockCall);
                // Within the TTL the gateway may still serve the cached number; it never serves a wrong one.
                const soonNumber = BigInt((parsed(soon) as { result: string }).result);
                assert.ok(soon.headers["x-cache"] === "HIT" ? soonNumber === before : soonNumber === mined, soon.text);
                await sleep(BLOCK_NUMBER_TTL_S * 1000 + 200);
                const later = await post(gatewayUrl, blockCall);
                assert.equal(BigInt((parsed(later) as { result: string }).result), mined);
            });
        });
    }
});
