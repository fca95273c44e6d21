import type { SessionView, WaitStatus } from "./api-types.ts";
import { SessionEndedError, WaitTimeoutError } from "./errors.ts";
import { followEvents } from "./follow-events.ts";
import type { BrokerHttp } from "./http.ts";
import { deadlineSignal } from "./timing.ts";

export interface ActivationWaitOptions {
  /** Called with the position and the reason in words whenever either changes while the session waits. */
  onWait?: ((status: WaitStatus) => void) | undefined;
  /** Give up after this long with a WaitTimeoutError. */
  timeoutS?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Follows the session's event stream until it is activated (stored events are replayed first, so
 * an activation that happened before the stream opened is not missed); a session that ends
 * instead is a SessionEndedError. Returns the active session's view.
 */
export async function waitForActivation(http: BrokerHttp, view: SessionView, options: ActivationWaitOptions = {}): Promise<SessionView> {
  const path = `/v1/sessions/${encodeURIComponent(view.id)}`;
  let last: WaitStatus | undefined;
  const report = (status: WaitStatus) => {
    if (!last || last.position !== status.position || last.reason !== status.reason || last.unsatisfiable !== status.unsatisfiable) options.onWait?.(status);
    last = status;
  };
  if (view.state === "waiting") report({ position: view.position ?? 0, reason: view.wait_reason ?? "", unsatisfiable: view.unsatisfiable });
  let settled = view;
  if (view.state === "waiting") {
    const deadline = deadlineSignal(options.timeoutS, () => new WaitTimeoutError(`Session ${view.id} is still waiting after ${options.timeoutS} s${last ? ` (${last.reason})` : ""}`), options.signal);
    try {
      const isSettled = (type: string) => type === "session.activated" || type === "session.ended";
      for await (const event of followEvents(http, `${path}/events`, { isLast: (event) => isSettled(event.event), signal: deadline.signal })) {
        if (event.event === "position") report(JSON.parse(event.data) as WaitStatus);
      }
    } finally {
      deadline.clear();
    }
    settled = await http.json<SessionView>("GET", path);
  }
  if (settled.state === "ended") throw new SessionEndedError(settled, `Session ${settled.id} ended (${settled.end_reason ?? "unknown reason"}) before it became active`);
  return settled;
}
