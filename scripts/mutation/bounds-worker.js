// Runs mocha in-process for scripts/mutation/bounds.js, once per message, so that each
// numeric mutant costs one test run, not one Node + ts-node start. Before each run it
// drops the scratch copy's modules from the require cache (the mutated file is reloaded);
// node_modules (a symlink to the real ones) stays loaded. The parent kills this process
// when a run takes too long (a mutant that loops forever) and starts a new one.
"use strict";
const path = require("path");
const { createRequire } = require("module");
const { pathToFileURL } = require("url");

const cwd = process.cwd();
const scratch = process.env.BOUNDS_SCRATCH;
const local = createRequire(path.join(cwd, "package.json"));
for (const mod of JSON.parse(process.env.BOUNDS_REQUIRE ?? "[]")) {
    local(mod.startsWith(".") ? path.resolve(cwd, mod) : mod);
}

let Mocha;
process.on("message", async ({ tests }) => {
    Mocha ??= (await import(pathToFileURL(local.resolve("mocha")).href)).default;
    for (const key of Object.keys(require.cache)) {
        if (key.startsWith(scratch)) {
            delete require.cache[key];
        }
    }
    const mocha = new Mocha({ reporter: function Quiet() {}, bail: true, timeout: 60_000 });
    for (const t of tests) {
        mocha.addFile(path.resolve(cwd, t));
    }
    try {
        mocha.loadFiles();
    } catch (e) {
        process.send({ failures: 1, error: String(e) });
        return;
    }
    mocha.run((failures) => process.send({ failures }));
});
process.send({ ready: true });
