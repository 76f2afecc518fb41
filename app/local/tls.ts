/** A throwaway CA and a server certificate for 127.0.0.1, made with the openssl CLI. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TestCerts {
    readonly dir: string;
    readonly caCert: string;
    readonly cert: string;
    readonly key: string;
}

export function makeCerts(): TestCerts {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webfleet-tls-"));
    const file = (name: string): string => path.join(dir, name);
    const openssl = (...args: string[]): void => {
        execFileSync("openssl", args, { stdio: "pipe" });
    };
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=webfleet test CA",
        "-keyout", file("ca.key"), "-out", file("ca.pem"));
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", file("server.key"), "-out", file("server.csr"));
    fs.writeFileSync(file("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    openssl("x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial",
        "-days", "2", "-extfile", file("ext.cnf"), "-out", file("server.pem"));
    fs.chmodSync(dir, 0o755);
    return { dir, caCert: file("ca.pem"), cert: file("server.pem"), key: file("server.key") };
}
