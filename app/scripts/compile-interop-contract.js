#!/usr/bin/env node
// Compiles local/interop/Interop.sol with the pinned `solc` npm package (solc-js ships
// the compiler, so nothing is downloaded) into local/interop/interop-contract.json, the
// ABI and bytecode the interop suite deploys. `--check` compares instead of writing and
// exits 1 when the committed JSON is stale.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const solc = require("solc");

const dir = path.join(__dirname, "..", "local", "interop");
const source = path.join(dir, "Interop.sol");
const target = path.join(dir, "interop-contract.json");

function compile() {
    const input = {
        language: "Solidity",
        sources: { "Interop.sol": { content: fs.readFileSync(source, "utf8") } },
        settings: {
            // paris: no PUSH0, so the same bytecode runs on ganache 7 and Hardhat 2.
            evmVersion: "paris",
            optimizer: { enabled: true, runs: 200 },
            outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
        },
    };
    const output = JSON.parse(solc.compile(JSON.stringify(input)));
    const errors = (output.errors || []).filter((e) => e.severity === "error");
    if (errors.length > 0) {
        throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
    }
    const contract = output.contracts["Interop.sol"].Interop;
    return `${JSON.stringify({ compiler: `solc ${solc.version()}`, evmVersion: "paris", abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` }, null, 2)}\n`;
}

const text = compile();
if (process.argv.includes("--check")) {
    const committed = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
    if (committed !== text) {
        console.error(`${path.relative(process.cwd(), target)} is stale: run node scripts/compile-interop-contract.js`);
        process.exit(1);
    }
    console.log("interop contract: committed bytecode matches the source");
} else {
    fs.writeFileSync(target, text);
    console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
