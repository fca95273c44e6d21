import { type BrokerHttp, isTransient, type QueryValues } from "./http.ts";
import { EventStreamParser, readEventStream, type ServerSentEvent } from "./sse.ts";
import { abortableDelay } from "./timing.ts";

export interface FollowOptions {
  query?: QueryValues;
  /** Resume after this event id (sent as Last-Event-ID). */
  lastEventId?: string | undefined;
  /** The stream's natural end: after yielding this event the iteration finishes without reconnecting. */
  isLast: (event: ServerSentEvent) => boolean;
  signal?: AbortSignal | undefined;
  /** Delay before the first reconnection, unless the server sets `retry` (default 1000 ms); it doubles with each failure in a row. */
  retryMs?: number;
  /** The longest delay between reconnections (default 15 s). */
  maxRetryMs?: number;
  /**
   * Reconnection attempts in a row that may fail before the last error is thrown (default 10, about
   * two minutes with the backoff); `Infinity` for a caller whose own deadline or signal bounds the wait.
   */
  maxFailures?: number;
  /** Told each time the stream is lost and about to be reconnected (broker restarting, network down). */
  onReconnect?: (reconnect: StreamReconnect) => void;
  /** Told when the stream is back after one or more failed attempts. */
  onReconnected?: () => void;
}

export interface StreamReconnect {
  /** Why the stream was lost, in words. */
  reason: string;
  /** Failed attempts in a row, from 1. */
  failures: number;
  delayMs: number;
}

/**
 * Follows an event stream of the broker across dropped connections and broker restarts: it
 * reconnects with Last-Event-ID, so stored events are neither lost nor repeated. An answer that
 * says the stream does not exist (4xx) is thrown at once; unreachable or restarting brokers and
 * streams that break off (a stopping broker closes them) are retried with exponential backoff.
 */
export async function* followEvents(http: BrokerHttp, path: string, options: FollowOptions): AsyncGenerator<ServerSentEvent> {
  const parser = new EventStreamParser(options.lastEventId);
  let failures = 0;
  for (;;) {
    const connection = new AbortController();
    const stop = () => connection.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", stop, { once: true });
    let failure: unknown;
    try {
      const headers: Record<string, string> = { accept: "text/event-stream" };
      if (parser.lastEventId !== undefined) headers["last-event-id"] = parser.lastEventId;
      const response = await http.send("GET", path, {
        ...(options.query ? { query: options.query } : {}),
        headers,
        signal: connection.signal,
      }).catch((error: unknown) => {
        if (options.signal?.aborted || !isTransient(error)) throw error;
        failure = error;
        return null;
      });
      if (response && !response.body) failure = new Error(`${path} answered without a body`);
      if (response?.body) {
        if (failures > 0) options.onReconnected?.();
        failures = 0;
        try {
          failure = new Error(`the event stream ${path} ended before its last event`);
          for await (const event of readEventStream(response.body, parser)) {
            // The broker ends the stream and says why (it is stopping, or this client fell behind): resume after the last id.
            if (STREAM_ENDINGS.has(event.event)) {
              failure = new Error(endingMessage(event));
              continue;
            }
            yield event;
            if (options.isLast(event)) return;
          }
        } catch (error) {
          // The body broke off mid-stream: the broker went away or a proxy cut the connection.
          if (options.signal?.aborted) throw options.signal.reason;
          failure = error;
        }
      }
    } finally {
      options.signal?.removeEventListener("abort", stop);
      connection.abort();
    }
    if (++failures > (options.maxFailures ?? 10)) throw failure;
    const delayMs = backoffMs(parser.retryMs ?? options.retryMs ?? 1000, options.maxRetryMs ?? 15_000, failures);
    // First sentence only: runtimes append long hints ("For more information, pass `verbose: true`…").
    const reason = (failure instanceof Error ? failure.message : String(failure)).split(/\.\s/)[0]!;
    options.onReconnect?.({ reason, failures, delayMs });
    await abortableDelay(delayMs, options.signal);
  }
}

/** The broker's last events of a stream it ends, which a follower resumes after (see the broker's stream endings). */
const STREAM_ENDINGS = new Set(["broker.restarting", "stream.overflow"]);

function endingMessage(event: ServerSentEvent): string {
  try {
    const message = (JSON.parse(event.data) as { message?: unknown }).message;
    if (typeof message === "string") return message;
  } catch {
    // Not JSON: the event's name says enough.
  }
  return `the broker ended the stream (${event.event})`;
}

/** `first`, doubling per failure in a row up to `max`, less up to a fifth at random so clients cut off together do not return together. */
function backoffMs(first: number, max: number, failures: number): number {
  const delay = Math.min(max, first * 2 ** (failures - 1));
  return Math.round(delay * (1 - Math.random() * 0.2));
}
