/**
 * The ECS task id, for the `Task` metric dimension and the `task` field of every log
 * line. ECS sets ECS_CONTAINER_METADATA_URI_V4 on every container; `${uri}/task` answers
 * JSON with `TaskARN` (arn:aws:ecs:<region>:<account>:task/<cluster>/<task id>). Off ECS,
 * or when the endpoint does not answer, the host name stands in.
 */
import os from "node:os";

const TASK_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The task id from a task ARN (new format with the cluster, or the old one without). */
export function taskIdFromArn(arn: unknown): string | undefined {
    if (typeof arn !== "string" || !arn.startsWith("arn:")) {
        return undefined;
    }
    const resource = arn.split(":").slice(5).join(":");
    if (!resource.startsWith("task/")) {
        return undefined;
    }
    const id = resource.split("/").pop();
    return id !== undefined && TASK_ID.test(id) ? id : undefined;
}

export function fallbackTaskId(): string {
    return os.hostname();
}

/** Never throws: `undefined` when the endpoint cannot be read within `timeoutMs`. */
export async function fetchTaskId(metadataUri: string, timeoutMs = 2000): Promise<string | undefined> {
    try {
        const response = await fetch(`${metadataUri.replace(/\/+$/, "")}/task`, { signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok) {
            return undefined;
        }
        const body: unknown = await response.json();
        return typeof body === "object" && body !== null && "TaskARN" in body ? taskIdFromArn(body.TaskARN) : undefined;
    } catch {
        return undefined;
    }
}
