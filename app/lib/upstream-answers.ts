/**
 * Which upstream response answers which forwarded call. Pure: no I/O.
 *
 * Calls go up with ids 1…n (rpc-ids.ts). A node's answer is matched by that id; what
 * real nodes do besides that is handled so a client sees what the node said:
 * - a lone error whose id the node lost (`"id": null`, e.g. ganache 7 for id 0, or a
 *   node's parse error) belongs to the only call that was sent, or to the only call of
 *   a batch left unanswered;
 * - one error object for a whole batch (a node refusing the batch) answers every call;
 * - anything else unmatched leaves just that call unanswered (the caller gives it its
 *   own error), never the whole batch.
 */
import { forwardedIndex } from "./rpc-ids";
import { isRecord } from "./is-record";

export interface UpstreamAnswer {
    readonly kind: "result" | "error";
    /** The `result` value, or the `error` object exactly as the node sent it (code, message, data). */
    readonly value: unknown;
}


function asAnswer(response: unknown): UpstreamAnswer | undefined {
    if (!isRecord(response)) {
        return undefined;
    }
    if ("result" in response && !("error" in response && response.error !== null && response.error !== undefined)) {
        return { kind: "result", value: response.result };
    }
    return isRecord(response.error) ? { kind: "error", value: response.error } : undefined;
}

/**
 * One entry per forwarded call (position i was sent with id i + 1); `undefined` =
 * unanswered. `expectsAnswer[i]` is false for notifications (sent without an id).
 */
export function matchUpstreamAnswers(body: unknown, expectsAnswer: readonly boolean[]): (UpstreamAnswer | undefined)[] {
    const count = expectsAnswer.length;
    const answers: (UpstreamAnswer | undefined)[] = new Array<UpstreamAnswer | undefined>(count).fill(undefined);
    const responses = Array.isArray(body) ? body : [body];
    const stray: UpstreamAnswer[] = [];
    for (const response of responses) {
        const answer = asAnswer(response);
        if (answer === undefined || !isRecord(response)) {
            continue;
        }
        const index = forwardedIndex(response.id, count);
        if (index !== undefined && expectsAnswer[index] && answers[index] === undefined) {
            answers[index] = answer;
        } else if (index === undefined && answer.kind === "error" && (response.id === null || response.id === undefined)) {
            stray.push(answer);
        }
    }
    const expected = expectsAnswer.filter(Boolean).length;
    const open = answers.flatMap((a, i) => (a === undefined && expectsAnswer[i] ? [i] : []));
    if (stray.length === 1 && open.length > 0 && (open.length === 1 || (!Array.isArray(body) && open.length === expected))) {
        for (const i of open) {
            answers[i] = stray[0];
        }
    }
    return answers;
}
