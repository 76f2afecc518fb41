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
] as const;

/** Variables injected from Secrets Manager through ECS `secrets`, never plain env. */
export const APP_SECRET_NAMES = ["PGPASSWORD", "REDIS_AUTH_TOKEN"] as const;

export type AppEnvName = (typeof APP_ENV_NAMES)[number];
export type AppSecretName = (typeof APP_SECRET_NAMES)[number];
