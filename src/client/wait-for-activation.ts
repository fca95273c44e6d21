import type { SessionView, WaitStatus } from "./api-types.ts";
import { SessionEndedError, WaitTimeoutError } from "./errors.ts";
import { followEvents, type StreamReconnect } from "./follow-events.ts";
import type { BrokerHttp } from "./http.ts";
import { deadlineSignal } from "./timing.ts";

export interface ActivationWaitOptions {
  /** Called with the position and the reason in words whenever either changes while the session waits. */
  onWait?: ((status: WaitStatus, sessionId: string) => void) | undefined;
  /** Called when the broker cannot be reached (restarting, network down) and the wait reconnects; the place in the queue is kept. */
  onReconnect?: ((reconnect: StreamReconnect) => void) | undefined;
  /** Give up after this long with a WaitTimeoutError, also when the broker stays unreachable. */
  timeoutS?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Follows the session's event stream until it is activated (stored events are replayed first, so
 * an activation that happened before the stream opened is not missed); a session that ends
 * instead is a SessionEndedError. The queue outlives broker restarts, so a lost broker is
 * reconnected to (with backoff) for as long as the wait may last. Returns the active session's view.
 */
export async function waitForActivation(http: BrokerHttp, view: SessionView, options: ActivationWaitOptions = {}): Promise<SessionView> {
  const path = `/v1/sessions/${encodeURIComponent(view.id)}`;
  let last: WaitStatus | undefined;
  const report = (status: WaitStatus) => {
    if (!last || waitKey(last) !== waitKey(status)) options.onWait?.(status, view.id);
    last = status;
  };
  if (view.state === "waiting") {
    report({
      position: view.position ?? 0,
      reason: view.wait_reason ?? "",
      unsatisfiable: view.unsatisfiable,
      estimated_start_at: view.estimated_start_at,
      held_by: view.held_by,
    });
  }
  let settled = view;
  if (view.state === "waiting") {
    let lost: StreamReconnect | undefined;
    const onReconnect = (reconnect: StreamReconnect) => {
      lost = reconnect;
      options.onReconnect?.(reconnect);
    };
    // Back in touch: say again where the session stands (nothing may have changed, so no event would).
    const onReconnected = () => {
      lost = undefined;
      if (last) options.onWait?.(last, view.id);
    };
    const why = () => (lost ? `the broker is unreachable: ${lost.reason}` : (last?.reason ?? ""));
    const deadline = deadlineSignal(
      options.timeoutS,
      () => new WaitTimeoutError(`Session ${view.id} is still waiting after ${options.timeoutS} s${why() ? ` (${why()})` : ""}`),
      options.signal,
    );
    try {
      const isSettled = (type: string) => type === "session.activated" || type === "session.ended";
      for await (
        const event of followEvents(http, `${path}/events`, {
          isLast: (event) => isSettled(event.event),
          signal: deadline.signal,
          maxFailures: Infinity,
          onReconnect,
          onReconnected,
        })
      ) {
        if (event.event === "position") report(JSON.parse(event.data) as WaitStatus);
      }
    } finally {
      deadline.clear();
    }
    settled = await http.json<SessionView>("GET", path);
  }
  if (settled.state === "ended") {
    throw new SessionEndedError(settled, `Session ${settled.id} ended (${settled.end_reason ?? "unknown reason"}) before it became active`);
  }
  return settled;
}

/** What a waiting client is told about again when it changes: place, reason, estimate, the sessions in the way. */
function waitKey(status: WaitStatus): string {
  return JSON.stringify([
    status.position,
    status.reason,
    status.unsatisfiable,
    status.estimated_start_at,
    status.held_by.map((holder) => holder.session_id),
  ]);
}
