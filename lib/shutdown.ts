/**
 * How a task leaves the fleet during a deploy or scale-in, end to end:
 *
 *   1. ECS deregisters the task from the target group; the ALB stops sending it new
 *      requests and lets in-flight ones finish for up to `deregistrationDelaySeconds`.
 *   2. ECS sends SIGTERM. The app stops accepting, finishes in-flight requests, closes
 *      its pool and Redis, and exits within `appShutdownMs`.
 *   3. After `stopTimeoutSeconds` ECS sends SIGKILL.
 *
 * The app's bound must end before SIGKILL, and the ALB must not keep routing to a task
 * that is already refusing connections. The ALB default (300 s) would make every
 * rolling deploy wait five minutes per batch for API calls that take milliseconds.
 */
export interface ShutdownTiming {
    readonly deregistrationDelaySeconds: number;
    readonly stopTimeoutSeconds: number;
    readonly appShutdownMs: number;
}

/** ECS caps a container's stopTimeout at 120 s on Fargate. */
export const MAX_STOP_TIMEOUT_SECONDS = 120;

export const SHUTDOWN: ShutdownTiming = {
    deregistrationDelaySeconds: 20,
    stopTimeoutSeconds: 30,
    appShutdownMs: 25_000,
};

/** Problems with a timing, empty when consistent. */
export function checkShutdownTiming(t: ShutdownTiming): string[] {
    const problems: string[] = [];
    if (t.stopTimeoutSeconds < 2 || t.stopTimeoutSeconds > MAX_STOP_TIMEOUT_SECONDS) {
        problems.push(`stopTimeout ${t.stopTimeoutSeconds}s must be 2–${MAX_STOP_TIMEOUT_SECONDS}s`);
    }
    if (t.appShutdownMs >= t.stopTimeoutSeconds * 1000) {
        problems.push(`the app's shutdown bound ${t.appShutdownMs}ms must end before SIGKILL at ${t.stopTimeoutSeconds}s`);
    }
    if (t.deregistrationDelaySeconds > t.stopTimeoutSeconds) {
        problems.push(
            `deregistration delay ${t.deregistrationDelaySeconds}s exceeds stopTimeout ${t.stopTimeoutSeconds}s: ` +
                "the ALB could still route to a killed task",
        );
    }
    if (t.deregistrationDelaySeconds < 0 || t.deregistrationDelaySeconds > 3600) {
        problems.push(`deregistration delay must be 0–3600s`);
    }
    return problems;
}
