/**
 * gzip for API answers when the client asks (`Accept-Encoding: gzip`), as geth does.
 * A full block with transactions or a big getLogs answer is megabytes of hex that
 * compresses several-fold; tiny answers are sent as they are, since gzip's header and
 * the CPU would cost more than they save.
 */
import { promisify } from "node:util";
import zlib from "node:zlib";
import { type ApiResponse, bodyBytes } from "./api";

/** Below this many bytes an answer goes out uncompressed. */
export const GZIP_MIN_BYTES = 1024;

const gzip = promisify(zlib.gzip);

/**
 * True when `gzip` is acceptable per RFC 9110 §12.5.3: listed (or `*`) with a q-value
 * above 0. `gzip;q=0` means "never gzip".
 */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
    if (acceptEncoding === undefined) {
        return false;
    }
    let gzipQ: number | undefined;
    let starQ: number | undefined;
    for (const part of acceptEncoding.split(",")) {
        const [name, ...params] = part.trim().toLowerCase().split(";");
        const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
        const q = qParam === undefined ? 1 : Number(qParam.slice(2));
        const value = Number.isFinite(q) ? q : 0;
        if (name === "gzip" || name === "x-gzip") {
            gzipQ = value;
        } else if (name === "*") {
            starQ = value;
        }
    }
    return (gzipQ ?? starQ ?? 0) > 0;
}

/**
 * The response, gzipped when the client accepts it and it is worth it. Synchronous unless
 * it compresses: a small answer (every cache hit) takes no trip through the microtask queue.
 */
export function maybeGzip(out: ApiResponse, acceptEncoding: string | undefined): ApiResponse | Promise<ApiResponse> {
    if (out.status === 204 || out.headers["content-encoding"] !== undefined) {
        return out;
    }
    if (bodyBytes(out.body) < GZIP_MIN_BYTES) {
        return out;
    }
    const vary = out.headers.vary === undefined ? "Accept-Encoding" : `${out.headers.vary}, Accept-Encoding`;
    return acceptsGzip(acceptEncoding) ? gzipped(out, vary) : { ...out, headers: { ...out.headers, vary } };
}

async function gzipped(out: ApiResponse, vary: string): Promise<ApiResponse> {
    // zlib's async API runs on the thread pool, so a 3 MB block does not stall the event loop.
    const body = await gzip(out.body);
    return { ...out, headers: { ...out.headers, vary, "content-encoding": "gzip" }, body };
}
