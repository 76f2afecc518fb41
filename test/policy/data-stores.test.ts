import * as assert from "assert";
import { cacheEncryptedAtRest, cacheTlsAndAuth, databaseBackups, databaseEncrypted, databasePrivate } from "../../policy/policies";
import { checkResource, messages } from "./fakes";

const DB = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";

const goodDb = { instanceClass: "db.t4g.medium", publiclyAccessible: false, storageEncrypted: true, backupRetentionPeriod: 7 };
const goodRedis = {
    description: "cache",
    transitEncryptionEnabled: true,
    atRestEncryptionEnabled: true,
    authToken: "0123456789abcdef0123",
};

describe("policies for databases and caches", () => {
    it("database-private: passes a private instance, fails a public one", async () => {
        assert.deepStrictEqual(messages(await checkResource(databasePrivate, DB, goodDb)), []);
        const [m] = messages(await checkResource(databasePrivate, DB, { ...goodDb, publiclyAccessible: true }, { name: "db" }));
        assert.match(m, /^db has publiclyAccessible: true\. Set publiclyAccessible: false/);
    });

    it("database-encrypted: fails when storageEncrypted is false or missing, on instances and clusters", async () => {
        assert.deepStrictEqual(messages(await checkResource(databaseEncrypted, DB, goodDb)), []);
        assert.match(messages(await checkResource(databaseEncrypted, DB, { ...goodDb, storageEncrypted: false }))[0], /storageEncrypted: true/);
        assert.match(messages(await checkResource(databaseEncrypted, CLUSTER, { engine: "aurora-postgresql" }))[0], /storageEncrypted: true/);
    });

    it("database-backups: requires an explicit retention of at least one day", async () => {
        assert.deepStrictEqual(messages(await checkResource(databaseBackups, DB, goodDb)), []);
        assert.match(messages(await checkResource(databaseBackups, DB, { ...goodDb, backupRetentionPeriod: 0 }))[0], /backupRetentionPeriod 0\. Set backupRetentionPeriod to 1–35 days/);
        const { backupRetentionPeriod: _omitted, ...unset } = goodDb;
        assert.match(messages(await checkResource(databaseBackups, DB, unset))[0], /backupRetentionPeriod unset/);
    });

    it("database-backups: exempts read replicas, whose backups come from the source", async () => {
        assert.deepStrictEqual(messages(await checkResource(databaseBackups, DB, { ...goodDb, backupRetentionPeriod: 0, replicateSourceDb: "db-main" })), []);
    });

    it("database policies ignore other resource types", async () => {
        assert.deepStrictEqual(messages(await checkResource(databasePrivate, REDIS, { publiclyAccessible: true })), []);
    });

    it("cache-tls-and-auth: passes TLS with a token", async () => {
        assert.deepStrictEqual(messages(await checkResource(cacheTlsAndAuth, REDIS, goodRedis)), []);
        assert.deepStrictEqual(messages(await checkResource(cacheTlsAndAuth, REDIS, { ...goodRedis, transitEncryptionMode: "required" })), []);
    });

    it("cache-tls-and-auth: fails without TLS, with TLS only preferred, and without a token", async () => {
        const noTls = messages(await checkResource(cacheTlsAndAuth, REDIS, { ...goodRedis, transitEncryptionEnabled: false }));
        assert.match(noTls.join("\n"), /transitEncryptionEnabled: true/);
        const preferred = messages(await checkResource(cacheTlsAndAuth, REDIS, { ...goodRedis, transitEncryptionMode: "preferred" }));
        assert.match(preferred.join("\n"), /transitEncryptionMode "preferred"\. Set it to "required"/);
        const noToken = messages(await checkResource(cacheTlsAndAuth, REDIS, { ...goodRedis, authToken: "" }));
        assert.match(noToken.join("\n"), /has no authToken/);
    });

    it("cache-encrypted-at-rest: fails when atRestEncryptionEnabled is not true", async () => {
        assert.deepStrictEqual(messages(await checkResource(cacheEncryptedAtRest, REDIS, goodRedis)), []);
        assert.match(messages(await checkResource(cacheEncryptedAtRest, REDIS, { ...goodRedis, atRestEncryptionEnabled: false }))[0], /atRestEncryptionEnabled: true/);
    });
});
