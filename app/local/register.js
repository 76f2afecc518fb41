// ts-node for the tests, with the CommonJS config (app/tsconfig.json is Next's, ESM).
require("ts-node").register({ transpileOnly: true, project: require("node:path").join(__dirname, "..", "tsconfig.test.json") });
