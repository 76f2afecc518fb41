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
    // Peak tasks of the plan: with it the app keeps its pool within its share of the live max_connections.
    "DB_PEAK_TASKS",
    "DB_RESERVED_CONNECTIONS",
    "REDIS_URL",
    "SHUTDOWN_TIMEOUT_MS",
    "APP_VERSION",
    "METRICS_SERVICE",
    "METRICS_FLUSH_S",
    "ACCESS_LOG_MAX_PER_S",
] as const;

/**
 * Variables the app also reads, each optional with a default, that the task definition
 * leaves unset (so the defaults apply): what one gateway request may carry and which
 * browser origins may call it. Documented in app/README.md ("Limits").
 * - RPC_MAX_BATCH: calls per batch, default 1000 (geth's BatchRequestLimit).
 * - RPC_MAX_BODY_BYTES: request body bytes, default 5242880 (geth's 5 MiB HTTP limit).
 * - CORS_ORIGINS: comma-separated origins, or `*`; unset or empty = CORS off.
 */
export const APP_OPTIONAL_ENV_NAMES = ["RPC_MAX_BATCH", "RPC_MAX_BODY_BYTES", "CORS_ORIGINS"] as const;

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
