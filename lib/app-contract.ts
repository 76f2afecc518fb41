/**
 * What the fleet program promises the app (app/): the port it listens on, the liveness
 * path the ALB checks, and the names of the environment variables it sets. The app reads
 * exactly these names; a test checks both sides against this list.
 */
export const APP_PORT = 3000;
export const HEALTH_CHECK_PATH = "/api/health";

/** Plain environment variables the task definition sets. */
export const APP_ENV_NAMES = [
    "NODE_ENV",
    "PORT",
    "HOSTNAME",
    "PGHOST",
    "PGPORT",
    "PGDATABASE",
    "PGUSER",
    "PGSSLMODE",
    "DB_POOL_MAX",
    "DB_RESERVED_CONNECTIONS",
    "REDIS_URL",
    "SHUTDOWN_TIMEOUT_MS",
    "APP_VERSION",
    "METRICS_SERVICE",
    "METRICS_FLUSH_S",
    "ACCESS_LOG_MAX_PER_S",
] as const;

/**
 * Observability settings the program gives every task. Metrics are flushed once a
 * minute, CloudWatch's standard resolution; access lines are capped per task per
 * second (the rest are counted in one summary line a second), so 2,000 req/s over 4
 * tasks writes at most ~400 access lines/s fleet-wide instead of 2,000.
 */
export const METRICS_FLUSH_SECONDS = 60;
export const ACCESS_LOG_MAX_PER_SECOND = 100;

/** Variables injected from Secrets Manager through ECS `secrets`, never plain env. */
export const APP_SECRET_NAMES = ["PGPASSWORD", "REDIS_AUTH_TOKEN"] as const;

export type AppEnvName = (typeof APP_ENV_NAMES)[number];
export type AppSecretName = (typeof APP_SECRET_NAMES)[number];
