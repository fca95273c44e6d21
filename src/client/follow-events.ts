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
  /** Delay before reconnecting, unless the server sets `retry` (default 1000 ms). */
  retryMs?: number;
  /** Reconnection attempts in a row that may fail before the last error is thrown (default 10). */
  maxFailures?: number;
}

/**
 * Follows an event stream of the broker across dropped connections and broker restarts: it
 * reconnects with Last-Event-ID, so stored events are neither lost nor repeated. An answer that
 * says the stream does not exist (4xx) is thrown at once; unreachable or restarting brokers and
 * streams that break off are retried.
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
      const response = await http.send("GET", path, { ...(options.query ? { query: options.query } : {}), headers, signal: connection.signal }).catch((error: unknown) => {
        if (options.signal?.aborted || !isTransient(error)) throw error;
        failure = error;
        return null;
      });
      if (response && !response.body) failure = new Error(`${path} answered without a body`);
      if (response?.body) {
        try {
          for await (const event of readEventStream(response.body, parser)) {
            failures = 0;
            yield event;
            if (options.isLast(event)) return;
          }
          failure = new Error(`the event stream ${path} ended before its last event`);
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
    await abortableDelay(parser.retryMs ?? options.retryMs ?? 1000, options.signal);
  }
}
