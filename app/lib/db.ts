/**
 * The PostgreSQL side: a pool whose hard maximum is the fleet program's DB_POOL_MAX,
 * the schema (created once per database, whichever task gets there first), and the
 * endpoint lookup.
 */
import { Pool } from "pg";
import type { AppConfig } from "./env";
import { errorMessage, log } from "./log";
import { pgSslOptions } from "./pg-tls";

export function createPool(cfg: AppConfig["pg"], instanceId: string): Pool {
    const pool = new Pool({
        host: cfg.host,
        port: cfg.port,
        database: cfg.database,
        user: cfg.user,
        password: cfg.password,
        ssl: pgSslOptions(cfg.sslMode, cfg.host),
        // The connection budget: pg never opens more than `max`; extra queries wait in
        // its queue, which is the point (the database refuses the excess otherwise).
        max: cfg.poolMax,
        // Also bounds the wait for a free pool slot: a frozen pool answers "unavailable" (503).
        connectionTimeoutMillis: cfg.connectTimeoutMs,
        idleTimeoutMillis: 30_000,
        // A slow query is cancelled by the server and the connection kept...
        statement_timeout: cfg.queryTimeoutMs,
        // ...a backend that answers nothing at all (frozen host, dropped NAT entry, failover)
        // is given up on by the client one second later; pg-pool then discards that
        // connection, so the next query opens a fresh one instead of queueing behind it.
        query_timeout: cfg.queryTimeoutMs + 1000,
        // Lets the kernel notice a peer that vanished without a FIN (idle connections too).
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
        application_name: `webfleet-gateway/${instanceId}`.slice(0, 63),
    });
    // An idle client whose server went away emits here; without a listener Node exits.
    pool.on("error", (error) => log("warn", "postgres idle client error", { error: errorMessage(error) }));
    return pool;
}

// Any fixed 64-bit number; every task must use the same one.
const SCHEMA_LOCK_KEY = 0x7766_6c74; // "wflt"

/**
 * Idempotent, and safe when N tasks start at once: concurrent `CREATE TABLE IF NOT
 * EXISTS` can still fail on the catalog's unique index, so the DDL runs under a
 * transaction-scoped advisory lock that serialises the tasks.
 */
export async function ensureSchema(pool: Pool): Promise<void> {
    const client = await pool.connect();
    try {
        await client.query("BEGIN");
        await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK_KEY]);
        await client.query(`
            CREATE TABLE IF NOT EXISTS rpc_endpoints (
                id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,128}$'),
                upstream_url text NOT NULL CHECK (upstream_url ~ '^https?://'),
                created_at timestamptz NOT NULL DEFAULT now()
            )`);
        await client.query("COMMIT");
    } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
    } finally {
        client.release();
    }
}

export async function findUpstreamUrl(pool: Pool, endpointId: string): Promise<string | undefined> {
    const result = await pool.query<{ upstream_url: string }>(
        "SELECT upstream_url FROM rpc_endpoints WHERE id = $1",
        [endpointId],
    );
    return result.rows[0]?.upstream_url;
}

/** Tracks whether the schema exists yet; retries in the background while Postgres is down. */
export class SchemaState {
    ready = false;
    private pending: Promise<boolean> | undefined;
    private retryTimer: NodeJS.Timeout | undefined;
    private stopped = false;

    constructor(private readonly pool: Pool) {}

    /** Resolves true once the schema exists; false if this attempt failed. */
    ensure(): Promise<boolean> {
        if (this.ready) {
            return Promise.resolve(true);
        }
        this.pending ??= ensureSchema(this.pool).then(
            () => {
                this.ready = true;
                log("info", "schema ready");
                return true;
            },
            (error: unknown) => {
                log("warn", "schema not created yet, will retry", { error: errorMessage(error) });
                this.scheduleRetry();
                return false;
            },
        ).finally(() => {
            this.pending = undefined;
        });
        return this.pending;
    }

    private scheduleRetry(): void {
        if (this.stopped || this.retryTimer !== undefined) {
            return;
        }
        this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            void this.ensure();
        }, 2000);
        this.retryTimer.unref();
    }

    stop(): void {
        this.stopped = true;
        clearTimeout(this.retryTimer);
    }
}
