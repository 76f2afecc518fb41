/**
 * webfleet: wiring only. Settings are read and validated first (config.ts); if anything is
 * wrong, the program stops here with one message and no resource is created. Then:
 * Network → SecurityGroups → WebImage → Cache, Database → WebService → Alarms.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Alarms } from "./components/alarms";
import { Cache, CACHE_PORT } from "./components/cache";
import { Dashboard } from "./components/dashboard";
import { Database, DB_PORT, DB_USERNAME } from "./components/database";
import { Network } from "./components/network";
import { SecurityGroups } from "./components/security-groups";
import { WebImage } from "./components/web-image";
import { WebService } from "./components/web-service";
import { loadSettings, PROJECT_DIR } from "./config";
import { ACCESS_LOG_MAX_PER_SECOND, APP_PORT, AppEnvName, AppSecretName, HEALTH_CHECK_PATH, METRICS_FLUSH_SECONDS } from "./lib/app-contract";
import { sourceHash } from "./lib/app-version";
import { freeStorageAlarmBytes } from "./lib/dashboard";
import { databaseName, resourcePrefix } from "./lib/names";
import { SHUTDOWN } from "./lib/shutdown";

const settings = loadSettings();
const prefix = resourcePrefix(pulumi.getProject(), pulumi.getStack());
const appVersion = sourceHash(path.join(PROJECT_DIR, settings.appPath));
const plan = settings.capacity;

const network = new Network(`${prefix}-net`, {
    azCount: settings.azCount,
    natGatewayPerAz: settings.natGatewayPerAz,
    existing: settings.existingVpc,
});

const firewall = new SecurityGroups(`${prefix}-sg`, {
    vpcId: network.vpcId,
    appPort: APP_PORT,
    https: settings.certificateArn !== undefined,
    dbPort: DB_PORT,
    cachePort: CACHE_PORT,
});

const image = new WebImage(`${prefix}-image`, {
    // Relative to the project: an absolute path would differ between machines and show as a change in every preview.
    context: settings.appPath,
    appVersion,
    cpuArchitecture: settings.cpuArchitecture,
    forceDelete: !settings.deletionProtection,
});

const cache = new Cache(`${prefix}-cache`, {
    engine: settings.cache.engine,
    nodeType: settings.cache.nodeType,
    multiAz: settings.cache.multiAz,
    subnetIds: network.privateSubnetIds,
    securityGroupId: firewall.cacheSecurityGroupId,
    protectData: settings.deletionProtection,
});

const dbName = databaseName(prefix);
const database = new Database(`${prefix}-db`, {
    instanceClass: settings.db.instanceClass,
    engineVersion: settings.db.engineVersion,
    allocatedStorageGb: settings.db.allocatedStorageGb,
    backupRetentionDays: settings.db.backupRetentionDays,
    multiAz: settings.db.multiAz,
    maxConnections: plan.dbMaxConnections,
    dbName,
    subnetIds: network.privateSubnetIds,
    securityGroupId: firewall.dbSecurityGroupId,
    protectData: settings.deletionProtection,
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
    DB_POOL_MAX: String(plan.poolPerTask),
    DB_RESERVED_CONNECTIONS: String(plan.dbReservedConnections),
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
    certificateArn: settings.certificateArn,
    logRetentionDays: settings.logRetentionDays,
    region: settings.region,
    deletionProtection: settings.deletionProtection,
});

const alarms = new Alarms(`${prefix}-alarms`, {
    albArnSuffix: web.albArnSuffix,
    targetGroupArnSuffix: web.targetGroupArnSuffix,
    dbInstanceId: database.instanceId,
    // Nearing the budget: 90 % of what the plan allows at its peak.
    dbConnectionsThreshold: Math.floor(plan.peakConnections * 0.9),
    clusterName: web.clusterName,
    serviceName: web.serviceName,
    cacheClusterIds: cache.memberClusterIds,
    cacheClusterCount: cache.clusterCount,
    freeStorageThresholdBytes: freeStorageAlarmBytes(settings.db.allocatedStorageGb),
    alarmEmails: settings.alarmEmails,
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
    replicas: plan.replicas,
    maxReplicas: plan.maxReplicas,
    peakConnections: plan.peakConnections,
    dbMaxConnections: plan.dbMaxConnections,
    poolPerTask: plan.poolPerTask,
});

/** Public URL of the fleet. */
export const url = web.url;
/** The connection budget: tasks, peak tasks during deploys and scaling, pool per task, connections. */
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
