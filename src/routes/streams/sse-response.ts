import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { sleepOn } from "../../clock.ts";
import type { EngineContext } from "../../engine/context.ts";
import { clientKey } from "../client-key.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SseSink } from "./sse-sink.ts";

/** What one stream may hold for a client that has not read it yet. */
const SEND_BUFFER_BYTES = 32 * 1024;
/** How long a stream waits for a client whose send buffer is full before cutting it off. */
const STALL_MS = 30_000;

const EventStreamTextSchema = z.string().openapi({
  description: "A text/event-stream: `id:`, `event:` and `data:` lines (data is JSON), a blank line after each event",
});

/**
 * The OpenAPI entry of a 200 server-sent event stream. Handlers answer it with `sseResponse`'s
 * Response, which the route's typed responses accept for this media type.
 */
export function eventStreamEntry(description: string) {
  return { description, content: { "text/event-stream": { schema: EventStreamTextSchema } } };
}

/**
 * Starts a server-sent event stream: counted against the stream bounds (refused with 429/503
 * before anything is sent), written by `run` into a bounded sink, released when it ends.
 */
export function sseResponse(c: Context, { engine, streams }: RouteDeps, run: (sink: SseSink) => Promise<void>): Response {
  const release = streams.enter(clientKey(c));
  const sink = new SseSink(SEND_BUFFER_BYTES);
  run(sink)
    .catch((error: unknown) => engine.log.error("event stream failed", { error, path: c.req.path }))
    .finally(() => {
      sink.close();
      release();
    });
  return new Response(sink.body, {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" },
  });
}

/** Whether the sink has room again within the stall bound; false means the client fell behind (or the stream is ending). */
export async function roomWithin(sink: SseSink, engine: EngineContext): Promise<boolean> {
  if (sink.hasRoom) return true;
  const gaveUp = new AbortController();
  const stalled = sleepOn(engine.clock, STALL_MS, AbortSignal.any([gaveUp.signal, engine.shutdown, sink.ended])).then(() => true);
  const outcome = await Promise.race([sink.ready().then(() => false), stalled]);
  gaveUp.abort();
  return !outcome && !sink.ended.aborted && !engine.shutdown.aborted;
}
