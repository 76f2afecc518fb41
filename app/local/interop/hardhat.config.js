// Hardhat 2's node as an upstream of the interop suite (nodes.ts starts it here).
// No sources and a throwaway cache: nothing is compiled, so no compiler is downloaded.
"use strict";
const os = require("node:os");
const path = require("node:path");

const scratch = path.join(os.tmpdir(), "webfleet-interop-hardhat");

module.exports = {
    paths: { sources: path.join(scratch, "no-sources"), cache: path.join(scratch, "cache"), artifacts: path.join(scratch, "artifacts") },
    networks: {
        hardhat: {
            chainId: Number(process.env.WEBFLEET_INTEROP_CHAIN_ID || 31337),
            accounts: JSON.parse(process.env.WEBFLEET_INTEROP_ACCOUNTS || "[]"),
        },
    },
};
