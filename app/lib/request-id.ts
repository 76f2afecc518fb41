/**
 * Which id a request is known by, in its log lines, its `x-request-id` response header
 * and the `data` of any JSON-RPC error the gateway itself answers with:
 *
 * 1. the ALB's `X-Amzn-Trace-Id` Root (`1-<8 hex>-<24 hex>`), so a line in our logs is
 *    found again in the ALB's access logs and X-Ray;
 * 2. else a client's `x-request-id` when it is well-formed (1–128 letters, digits,
 *    `. _ : -`): anything else could forge log fields or bloat every line;
 * 3. else a fresh random UUID.
 *
 * Pure apart from the random fallback.
 */
import { randomUUID } from "node:crypto";

const TRACE_ROOT = /(?:^|;)\s*Root=(1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24})\s*(?:;|$)/;
export const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Header = string | readonly string[] | undefined | null;

function first(value: Header): string | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    return typeof value === "string" ? value : value[0];
}

export interface RequestIds {
    /** The id this request is logged and answered under. */
    readonly requestId: string;
    /** The client's own x-request-id when it was well-formed but the trace id won; logged beside it. */
    readonly clientRequestId?: string;
}

export function requestIds(traceHeader: Header, clientHeader: Header): RequestIds {
    const trace = first(traceHeader);
    const root = trace === undefined ? undefined : TRACE_ROOT.exec(trace)?.[1];
    const raw = first(clientHeader);
    const client = raw !== undefined && CLIENT_REQUEST_ID.test(raw) ? raw : undefined;
    if (root !== undefined) {
        return client === undefined || client === root ? { requestId: root } : { requestId: root, clientRequestId: client };
    }
    return { requestId: client ?? randomUUID() };
}
