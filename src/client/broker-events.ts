import type { BrokerEvent } from "./api-types.ts";
import { followEvents } from "./follow-events.ts";
import type { BrokerHttp } from "./http.ts";

export interface EventQuery {
  /** Start with the last N matching events (default: only new ones). */
  tail?: number;
  /** false: stop after the stored events instead of following live ones (default true). */
  follow?: boolean;
  /** An event type (`lab.failed`) or a family (`lab`). */
  type?: string;
  sessionId?: string;
  signal?: AbortSignal;
}

/**
 * `GET /v1/events` as parsed events. A followed stream rides out broker restarts (it resumes after
 * the last event seen); a one-off read fails at once when the broker cannot be reached.
 */
export async function* brokerEvents(http: BrokerHttp, options: EventQuery): AsyncGenerator<BrokerEvent> {
  const query = {
    tail: options.tail,
    type: options.type,
    session_id: options.sessionId,
    follow: options.follow === false ? "false" : undefined,
  };
  for await (
    const event of followEvents(http, "/v1/events", {
      query,
      isLast: (event) => event.event === "end",
      signal: options.signal,
      maxFailures: options.follow === false ? 0 : Infinity,
    })
  ) {
    if (event.event !== "end" && event.id !== undefined) yield JSON.parse(event.data) as BrokerEvent;
  }
}
