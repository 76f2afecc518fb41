/**
 * Safe `max_connections` per RDS PostgreSQL instance class.
 *
 * RDS's default is LEAST(DBInstanceClassMemory / 9531392, 5000), and DBInstanceClassMemory
 * is below the nominal RAM, so the measured defaults are lower than nominal arithmetic
 * (2 GiB → 198, 4 GiB → 413, 8 GiB → 856). We set `max_connections` explicitly to the
 * value below, rounded down from those measurements, so it never asks for more memory
 * per connection than the default would. Source: the Amazon RDS User Guide, "Maximum
 * number of database connections" (the formula), and defaults measured on instances.
 */

/** Nominal memory (GiB) → safe max_connections. */
const SAFE_BY_MEMORY_GIB: ReadonlyArray<readonly [number, number]> = [
    [1, 85],
    [2, 190],
    [4, 410],
    [8, 850],
    [16, 1700],
    [32, 3400],
    [64, 5000],
];

/** Memory in GiB for the size suffix of the common families. */
const T_FAMILY: Readonly<Record<string, number>> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
const M_FAMILY: Readonly<Record<string, number>> = { large: 8, xlarge: 16, "2xlarge": 32, "4xlarge": 64, "8xlarge": 128, "12xlarge": 192, "16xlarge": 256 };
const R_FAMILY: Readonly<Record<string, number>> = { large: 16, xlarge: 32, "2xlarge": 64, "4xlarge": 128, "8xlarge": 256, "12xlarge": 384, "16xlarge": 512 };

const FAMILIES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
    t3: T_FAMILY,
    t4g: T_FAMILY,
    m5: M_FAMILY,
    m6g: M_FAMILY,
    m6i: M_FAMILY,
    m7g: M_FAMILY,
    m7i: M_FAMILY,
    m8g: M_FAMILY,
    r5: R_FAMILY,
    r6g: R_FAMILY,
    r6i: R_FAMILY,
    r7g: R_FAMILY,
    r7i: R_FAMILY,
    r8g: R_FAMILY,
};

/** `db.t4g.medium` → 4; undefined for a class not in the table. */
export function instanceMemoryGib(instanceClass: string): number | undefined {
    const match = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass);
    if (!match) {
        return undefined;
    }
    const family = FAMILIES[match[1]];
    return family ? family[match[2]] : undefined;
}

/** Safe max_connections for a known class; undefined means "unknown: set dbMaxConnections". */
export function safeMaxConnections(instanceClass: string): number | undefined {
    const gib = instanceMemoryGib(instanceClass);
    if (gib === undefined) {
        return undefined;
    }
    let safe = SAFE_BY_MEMORY_GIB[0][1];
    for (const [memory, connections] of SAFE_BY_MEMORY_GIB) {
        if (gib >= memory) {
            safe = connections;
        }
    }
    return safe;
}

/** Every class the table knows, for error messages and exhaustive tests. */
export function knownInstanceClasses(): string[] {
    const classes: string[] = [];
    for (const [family, sizes] of Object.entries(FAMILIES)) {
        for (const size of Object.keys(sizes)) {
            classes.push(`db.${family}.${size}`);
        }
    }
    return classes;
}

/** Upper bound RDS accepts for max_connections on PostgreSQL. */
export const MAX_CONNECTIONS_LIMIT = 262143;
