/**
 * Every policy of the webfleet pack, exported one by one so unit tests can call each
 * validate function directly (constructing a PolicyPack starts a gRPC server).
 */
import { Policies } from "@pulumi/policy";
import { albAccessLogs } from "./access-logs";
import { connectionBudget } from "./connectionBudget";
import { cacheEncryptedAtRest, cacheTlsAndAuth, databaseBackups, databaseEncrypted, databasePrivate } from "./dataStores";
import { prodDeletionProtection } from "./deletionProtection";
import { httpsListeners } from "./https-listeners";
import { noPublicIngress } from "./ingress";
import { noSecretsInTaskEnvironment } from "./taskSecrets";

export { connectionBudget } from "./connectionBudget";
export { cacheEncryptedAtRest, cacheTlsAndAuth, databaseBackups, databaseEncrypted, databasePrivate } from "./dataStores";
export { prodDeletionProtection } from "./deletionProtection";
export { albAccessLogs } from "./access-logs";
export { httpsListeners } from "./https-listeners";
export { noPublicIngress } from "./ingress";
export { noSecretsInTaskEnvironment } from "./taskSecrets";

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
