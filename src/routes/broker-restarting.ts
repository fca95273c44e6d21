import type { SSEStreamingApi } from "hono/streaming";

/** The SSE `retry` hint: how long a client waits before reconnecting to a restarting broker. */
const RECONNECT_AFTER_MS = 2_000;

/**
 * The last event of every stream a stopping broker ends. It has no id, so a client resuming with
 * Last-Event-ID continues after the last stored event it saw.
 */
export function sendBrokerRestarting(stream: SSEStreamingApi): Promise<void> {
  return stream.writeSSE({
    event: "broker.restarting",
    retry: RECONNECT_AFTER_MS,
    data: JSON.stringify({ reason: "shutdown", message: "The broker is stopping; reconnect with Last-Event-ID to resume once it is back" }),
  });
}
