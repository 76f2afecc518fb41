import * as assert from "assert";
import { prodDeletionProtection } from "../../policy/policies";
import { checkResource, messages } from "./fakes";

const DB = "aws:rds/instance:Instance";
const ECR = "aws:ecr/repository:Repository";
const protectedDb = { instanceClass: "db.t4g.medium", deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: "webfleet-final" };

describe("policy prod-deletion-protection", () => {
    it("passes a protected database in prod", async () => {
        assert.deepStrictEqual(messages(await checkResource(prodDeletionProtection, DB, protectedDb, { stack: "prod" })), []);
    });

    it("fails an unprotected database in prod, with what to set", async () => {
        const found = messages(await checkResource(prodDeletionProtection, DB, { instanceClass: "db.t4g.medium", skipFinalSnapshot: true }, { stack: "prod", name: "db" }));
        assert.deepStrictEqual(found, [
            'db has no deletion protection in production stack "prod". Set deletionProtection: true.',
            'db has skipFinalSnapshot: true in production stack "prod". Set skipFinalSnapshot: false and a finalSnapshotIdentifier.',
        ]);
    });

    it("fails a prod database that keeps a final snapshot without naming it", async () => {
        const { finalSnapshotIdentifier: _omitted, ...unnamed } = protectedDb;
        assert.match(messages(await checkResource(prodDeletionProtection, DB, unnamed, { stack: "prod" }))[0], /no finalSnapshotIdentifier/);
    });

    it("leaves other stacks alone", async () => {
        assert.deepStrictEqual(messages(await checkResource(prodDeletionProtection, DB, { skipFinalSnapshot: true }, { stack: "dev" })), []);
    });

    it("takes the production stack names from policy config", async () => {
        const unprotected = { skipFinalSnapshot: false, finalSnapshotIdentifier: "x" };
        const config = { prodStacks: ["production", "prod-eu"] };
        assert.strictEqual(messages(await checkResource(prodDeletionProtection, DB, unprotected, { stack: "prod-eu", config })).length, 1);
        assert.deepStrictEqual(messages(await checkResource(prodDeletionProtection, DB, unprotected, { stack: "prod", config })), []);
    });

    it("fails a force-deletable ECR repository in prod only", async () => {
        assert.match(messages(await checkResource(prodDeletionProtection, ECR, { forceDelete: true }, { stack: "prod" }))[0], /Set forceDelete: false/);
        assert.deepStrictEqual(messages(await checkResource(prodDeletionProtection, ECR, { forceDelete: true }, { stack: "dev" })), []);
    });
});
