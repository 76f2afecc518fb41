/**
 * webfleet: wiring only. Settings are read and validated first (config.ts); if anything is
 * wrong, the program stops here with one message and no resource is created. Then:
 * Network → SecurityGroups → WebImage → Cache, Database → DomainCertificate, AccessLogs →
 * WebService → Alarms.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogs } from "./components/access-logs";
import { Alarms } from "./components/alarms";
import { Cache, CACHE_PORT } from "./components/cache";
import { Dashboard } from "./components/dashboard";
import { Database, DB_PORT, DB_USERNAME } from "./components/database";
import { DomainCertificate } from "./components/domain-certificate";
import { Network } from "./components/network";
import { SecurityGroups } from "./components/security-groups";
import { WebImage } from "./components/web-image";
import { WebService } from "./components/web-service";
import { loadConfig, PROJECT_DIR } from "./config";
import { planThisUp } from "./deployed";
import { ACCESS_LOG_MAX_PER_SECOND, APP_PORT, AppEnvName, AppSecretName, HEALTH_CHECK_PATH, METRICS_FLUSH_SECONDS } from "./lib/app-contract";
import { sourceHash } from "./lib/app-version";
import { freeStorageAlarmBytes } from "./lib/dashboard";
import { edgeWarnings, servesHttps } from "./lib/edge";
import { databaseName, resourcePrefix } from "./lib/names";
import { SHUTDOWN } from "./lib/shutdown";

// The at-rest connection budget (lib/capacity.ts) is computed by config.ts from the settings.
const { settings, capacity } = loadConfig();
const prefix = resourcePrefix(pulumi.getProject(), pulumi.getStack());
const appVersion = sourceHash(path.join(PROJECT_DIR, settings.appPath));
for (const warning of edgeWarnings(settings.edge, settings.certificateArn)) {
    pulumi.log.warn(warning);
}
// The step this `up` may take from what is deployed (lib/transition.ts), not only the at-rest plan.
const plan = planThisUp(`${prefix}-deployed`, settings);

const network = new Network(`${prefix}-net`, {
    azCount: settings.azCount,
    natGatewayPerAz: settings.natGatewayPerAz,
    existing:
        settings.vpcId === undefined
            ? undefined
            : { vpcId: settings.vpcId, publicSubnetIds: settings.publicSubnetIds, privateSubnetIds: settings.privateSubnetIds },
});

const firewall = new SecurityGroups(`${prefix}-sg`, {
    vpcId: network.vpcId,
    appPort: APP_PORT,
    https: servesHttps(settings.edge, settings.certificateArn),
    dbPort: DB_PORT,
    cachePort: CACHE_PORT,
});

const image = new WebImage(`${prefix}-image`, {
    // Relative to the project: an absolute path would differ between machines and show as a change in every preview.
    context: settings.appPath,
    appVersion,
    cpuArchitecture: settings.cpuArchitecture,
    deletionProtection: settings.deletionProtection,
});

const cache = new Cache(`${prefix}-cache`, {
    engine: settings.cacheEngine,
    nodeType: settings.cacheNodeType,
    multiAz: settings.cacheMultiAz,
    subnetIds: network.privateSubnetIds,
    securityGroupId: firewall.cacheSecurityGroupId,
    deletionProtection: settings.deletionProtection,
});

const dbName = databaseName(prefix);
const database = new Database(`${prefix}-db`, {
    instanceClass: plan.dbInstanceClass,
    // From the plan, so a refused downgrade never reaches RDS.
    engineVersion: plan.dbEngineVersion,
    allocatedStorageGb: settings.dbAllocatedStorageGb,
    backupRetentionDays: settings.dbBackupRetentionDays,
    multiAz: settings.dbMultiAz,
    maxConnections: plan.dbMaxConnections,
    liveMaxConnections: plan.dbMaxConnectionsLive,
    dbName,
    subnetIds: network.privateSubnetIds,
    securityGroupId: firewall.dbSecurityGroupId,
    deletionProtection: settings.deletionProtection,
});

const environment: Record<AppEnvName, pulumi.Input<string>> = {
    NODE_ENV: "production",
    PORT: String(APP_PORT),
    // Fargate sets HOSTNAME to the task's host name; Next's standalone server listens on HOSTNAME.
    HOSTNAME: "0.0.0.0",
    PGHOST: database.address,
    PGPORT: database.port.apply(String),
    PGDATABASE: dbName,
    PGUSER: DB_USERNAME,
    PGSSLMODE: "verify-full",
    DB_POOL_MAX: plan.poolPerTask.apply(String),
    DB_PEAK_TASKS: String(capacity.peakTasks),
    DB_RESERVED_CONNECTIONS: String(settings.dbReservedConnections),
    REDIS_URL: pulumi.interpolate`rediss://${cache.primaryEndpoint}:${CACHE_PORT}`,
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN.appShutdownMs),
    APP_VERSION: appVersion,
    // The `Service` dimension of the tasks' metrics; the dashboard graphs the same value.
    METRICS_SERVICE: prefix,
    METRICS_FLUSH_S: String(METRICS_FLUSH_SECONDS),
    ACCESS_LOG_MAX_PER_S: String(ACCESS_LOG_MAX_PER_SECOND),
};
const secrets: Record<AppSecretName, pulumi.Input<string>> = {
    PGPASSWORD: database.passwordSecretArn,
    REDIS_AUTH_TOKEN: cache.authTokenSecretArn,
};

const domain = settings.edge.domain;
const tls = domain && new DomainCertificate(`${prefix}-tls`, {
    domainName: domain.name,
    zone: domain.zone,
    existingCertificateArn: settings.certificateArn,
});
const accessLogs = settings.edge.accessLogs.enabled
    ? new AccessLogs(`${prefix}-logs`, {
          region: settings.region,
          retentionDays: settings.edge.accessLogs.retentionDays,
          deletionProtection: settings.deletionProtection,
      })
    : undefined;

const web = new WebService(`${prefix}-web`, {
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    albSecurityGroupId: firewall.albSecurityGroupId,
    taskSecurityGroupId: firewall.taskSecurityGroupId,
    image: image.imageDigest,
    cpu: settings.cpu,
    memory: settings.memory,
    cpuArchitecture: settings.cpuArchitecture,
    appPort: APP_PORT,
    healthCheckPath: HEALTH_CHECK_PATH,
    environment,
    secrets,
    replicas: settings.replicas,
    maxReplicas: settings.maxReplicas,
    requestsPerTargetPerMinute: settings.autoscalingRequestsPerTarget,
    deploymentMaximumPercent: settings.deploymentMaximumPercent,
    shutdown: SHUTDOWN,
    certificateArn: tls ? tls.certificateArn : settings.certificateArn,
    domain: domain && tls ? { name: domain.name, zoneId: tls.zoneId } : undefined,
    accessLogs: accessLogs && { bucket: accessLogs.bucketName, prefix: accessLogs.prefix },
    logRetentionDays: settings.logRetentionDays,
    region: settings.region,
    deletionProtection: settings.deletionProtection,
});

const alarms = new Alarms(`${prefix}-alarms`, {
    albArnSuffix: web.albArnSuffix,
    targetGroupArnSuffix: web.targetGroupArnSuffix,
    dbInstanceId: database.instanceId,
    healthCheckPath: HEALTH_CHECK_PATH,
    // Nearing the budget: 90 % of what the plan allows at its peak.
    dbConnectionsThreshold: plan.peakConnections.apply((peak) => Math.floor(peak * 0.9)),
    clusterName: web.clusterName,
    serviceName: web.serviceName,
    cacheClusterIds: cache.memberClusterIds,
    cacheClusterCount: cache.clusterCount,
    freeStorageThresholdBytes: freeStorageAlarmBytes(settings.dbAllocatedStorageGb),
    alarmEmails: settings.alarmEmail,
});

const dashboard = new Dashboard(`${prefix}-dashboard`, {
    dashboardName: prefix,
    region: settings.region,
    metricsService: prefix,
    albArnSuffix: web.albArnSuffix,
    targetGroupArnSuffix: web.targetGroupArnSuffix,
    clusterName: web.clusterName,
    serviceName: web.serviceName,
    dbInstanceId: database.instanceId,
    cacheClusterIds: cache.memberClusterIds,
    replicas: settings.replicas,
    maxReplicas: settings.maxReplicas,
    peakConnections: plan.peakConnections,
    dbMaxConnections: plan.dbMaxConnections,
    poolPerTask: plan.poolPerTask,
});

/** Public URL of the fleet. */
export const url = web.url;
/** The connection budget: tasks, peak tasks, the pool this `up` sets, and the change (lib/transition.ts). */
export const capacityPlan = plan;
/** The image every task runs, pinned by digest. */
export const imageDigest = image.imageDigest;
/** Content hash of the app; also its Next.js deploymentId. */
export const version = appVersion;
export const clusterName = web.clusterName;
export const serviceName = web.serviceName;
export const dbEndpoint = pulumi.interpolate`${database.address}:${database.port}`;
export const cacheEndpoint = pulumi.interpolate`${cache.primaryEndpoint}:${CACHE_PORT}`;
/** Subscribe to this SNS topic to receive the fleet's alarms (alarmEmail does so for e-mail). */
export const alarmTopicArn = alarms.topicArn;
/** The fleet's CloudWatch dashboard. */
export const dashboardUrl = dashboard.url;
