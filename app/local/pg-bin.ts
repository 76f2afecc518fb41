/**
 * Where the PostgreSQL server binaries are: PG_BIN, else the newest Debian/Ubuntu install
 * (/usr/lib/postgresql/<major>/bin): 15 on Debian 12, 16 on Ubuntu 24.04. No `pg` import,
 * so tools can ask before loading the app's dependencies.
 */
import fs from "node:fs";
import path from "node:path";

export const PG_ROOT = "/usr/lib/postgresql";

export type PgBin = { readonly ok: true; readonly bin: string } | { readonly ok: false; readonly problem: string };

export function locatePgBin(env: Readonly<Record<string, string | undefined>> = process.env, root = PG_ROOT): PgBin {
    const given = env.PG_BIN;
    if (given !== undefined && given !== "") {
        return fs.existsSync(path.join(given, "postgres"))
            ? { ok: true, bin: given }
            : { ok: false, problem: `PG_BIN=${given} has no \`postgres\` server binary; unset it or point it at <prefix>/bin` };
    }
    const majors = fs.existsSync(root)
        ? fs.readdirSync(root).filter((d) => /^\d+$/.test(d) && fs.existsSync(path.join(root, d, "bin", "postgres")))
        : [];
    if (majors.length === 0) {
        return { ok: false, problem: `no PostgreSQL server under ${root}/<version>/bin; run \`npm run setup\` or set PG_BIN` };
    }
    return { ok: true, bin: path.join(root, majors.sort((a, b) => Number(b) - Number(a))[0], "bin") };
}

/** The directory, or an Error naming what is missing and how to fix it. */
export function findPgBin(env: Readonly<Record<string, string | undefined>> = process.env, root = PG_ROOT): string {
    const found = locatePgBin(env, root);
    if (!found.ok) {
        throw new Error(found.problem);
    }
    return found.bin;
}
