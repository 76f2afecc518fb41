/**
 * Every policy of the webfleet pack, exported one by one so unit tests can call each
 * validate function directly (constructing a PolicyPack starts a gRPC server).
 */
import { Policies } from "@pulumi/policy";
import { albAccessLogs } from "./access-logs";
import { connectionBudget } from "./connection-budget";
import { cacheEncryptedAtRest, cacheTlsAndAuth, databaseBackups, databaseEncrypted, databasePrivate } from "./data-stores";
import { prodDeletionProtection } from "./deletion-protection";
import { httpsListeners } from "./https-listeners";
import { noPublicIngress } from "./ingress";
import { noSecretsInTaskEnvironment } from "./task-secrets";

export { connectionBudget } from "./connection-budget";
export { cacheEncryptedAtRest, cacheTlsAndAuth, databaseBackups, databaseEncrypted, databasePrivate } from "./data-stores";
export { prodDeletionProtection } from "./deletion-protection";
export { albAccessLogs } from "./access-logs";
export { httpsListeners } from "./https-listeners";
export { noPublicIngress } from "./ingress";
export { noSecretsInTaskEnvironment } from "./task-secrets";

export const policies: Policies = [
    connectionBudget,
    databasePrivate,
    databaseEncrypted,
    databaseBackups,
    cacheTlsAndAuth,
    cacheEncryptedAtRest,
    noPublicIngress,
    noSecretsInTaskEnvironment,
    prodDeletionProtection,
    httpsListeners,
    albAccessLogs,
];
