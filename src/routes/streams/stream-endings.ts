import type { SseSink } from "./sse-sink.ts";

/** The SSE `retry` hint: how long a client waits before reconnecting to a restarting broker. */
const RECONNECT_AFTER_MS = 2_000;
/** A client that fell behind may come back at once: it resumes from the database. */
const RESUME_AFTER_MS = 500;

/**
 * Events that end a stream which the client should resume. They have no id, so a client resuming
 * with Last-Event-ID continues after the last stored event it saw.
 */
const STREAM_ENDINGS = { restarting: "broker.restarting", overflow: "stream.overflow" } as const;

/** The last event of every stream a stopping broker ends. */
export function sendBrokerRestarting(sink: SseSink): void {
  sink.send({
    event: STREAM_ENDINGS.restarting,
    retry: RECONNECT_AFTER_MS,
    data: JSON.stringify({ reason: "shutdown", message: "The broker is stopping; reconnect with Last-Event-ID to resume once it is back" }),
  });
  sink.close();
}

/**
 * The last event of a stream whose client fell behind (its send buffer stayed full): the client is
 * cut off rather than buffered for, and told where to resume.
 */
export function sendOverflow(sink: SseSink, lastSentId: number): void {
  sink.send({
    event: STREAM_ENDINGS.overflow,
    retry: RESUME_AFTER_MS,
    data: JSON.stringify({
      reason: "slow-client",
      resume_after: String(lastSentId),
      message: `This client fell behind the stream; reconnect with Last-Event-ID: ${lastSentId} to resume`,
    }),
  });
  sink.close();
}
