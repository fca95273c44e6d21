import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { sleepOn } from "../clock.ts";
import type { EngineContext } from "../engine/context.ts";
import { sendBrokerRestarting } from "./broker-restarting.ts";
import { type BrokerEvent, type EventFilter, matchesFilter } from "../engine/event-log.ts";
import { isoTime } from "./iso-time.ts";

const REPLAY_PAGE = 500;
const KEEPALIVE_MS = 15_000;

export const EventStreamQuerySchema = z.object({
  last_event_id: z.coerce.number().int().min(0).optional().openapi({ description: "Resume after this event id (same as the Last-Event-ID header)" }),
});

/** `follow=false`: send what is stored, then an `end` event, and close (a finished log ends by itself either way). */
export const FollowQuerySchema = z.object({
  follow: z.enum(["true", "false"]).default("true").openapi({ description: "false: send what is stored, then `end`, instead of following live" }),
});

export const EventStreamHeadersSchema = z.object({ "last-event-id": z.string().regex(/^\d+$/).optional() });

export const eventStreamResponse = {
  description:
    "Server-sent events. Each stored event has an `id` (resume with Last-Event-ID), `event` = its type and JSON `data`. " +
    "Snapshot events without an id (such as `position`) are sent whenever they change.",
  content: { "text/event-stream": { schema: z.string() } },
};

export interface EventStreamOptions {
  filter: EventFilter;
  afterId: number;
  /** A derived value (like queue position) re-sent when it changes; null sends nothing. */
  snapshot?: () => { event: string; data: unknown } | null;
  /** The stream ends after this event has been sent. */
  isLast?: (event: BrokerEvent) => boolean;
  /** false: end (with an `end` event) once the stored events are sent. */
  follow?: boolean;
  /** What this reader may see of an event (default: all of it). */
  view?: (event: BrokerEvent) => BrokerEvent;
}

/** Replays stored events after `afterId`, then follows live ones; nothing is lost between the two. */
export function streamEvents(c: Context, engine: EngineContext, options: EventStreamOptions): Response {
  return streamSSE(c, async (stream) => {
    const buffered: BrokerEvent[] = [];
    let wake: () => void = () => {};
    let snapshotDirty = true;
    const closed = new AbortController();
    // Every event may move a snapshot (a queue position), but only matching ones are kept for sending.
    const unsubscribe = engine.events.subscribe(options.snapshot ? {} : options.filter, (event) => {
      if (matchesFilter(event, options.filter)) buffered.push(event);
      snapshotDirty = true;
      wake();
    });
    const stop = () => {
      closed.abort();
      wake();
    };
    stream.onAbort(stop);
    engine.shutdown.addEventListener("abort", stop, { once: true });
    let lastSent = options.afterId;
    let lastSnapshot = "";
    const send = async (event: BrokerEvent) => {
      lastSent = event.id;
      await stream.writeSSE({ id: String(event.id), event: event.type, data: JSON.stringify(eventJson(options.view ? options.view(event) : event)) });
      return options.isLast?.(event) ?? false;
    };
    try {
      for (;;) {
        const page = await engine.events.readSince(engine.orm, options.filter, lastSent, REPLAY_PAGE);
        for (const event of page) if (await send(event)) return;
        if (page.length < REPLAY_PAGE) break;
      }
      if (options.follow === false) return void (await stream.writeSSE({ event: "end", data: "{}" }));
      while (!closed.signal.aborted) {
        for (const event of buffered.splice(0)) {
          if (event.id <= lastSent) continue;
          if (await send(event)) return;
        }
        if (snapshotDirty) {
          snapshotDirty = false;
          const snapshot = options.snapshot?.();
          const text = snapshot ? JSON.stringify(snapshot) : "";
          if (snapshot && text !== lastSnapshot) await stream.writeSSE({ event: snapshot.event, data: JSON.stringify(snapshot.data) });
          lastSnapshot = text;
        }
        if (buffered.length > 0 || snapshotDirty) continue;
        const woken = new Promise<void>((resolve) => (wake = resolve));
        await Promise.race([woken, sleepOn(engine.clock, KEEPALIVE_MS, closed.signal)]);
        if (buffered.length === 0 && !snapshotDirty && !closed.signal.aborted) await stream.write(": keepalive\n\n");
      }
      if (engine.shutdown.aborted && !stream.aborted) await sendBrokerRestarting(stream);
    } finally {
      engine.shutdown.removeEventListener("abort", stop);
      unsubscribe();
    }
  });
}

/** An event as clients see it: time as RFC 3339, only the references it has. */
export function eventJson(event: BrokerEvent): EventJson {
  const refs = Object.fromEntries(Object.entries({ session_id: event.sessionId, host_id: event.hostId, lab_id: event.labId, job_id: event.jobId }).filter(([, value]) => value));
  return { id: event.id, type: event.type, at: isoTime(event.at)!, ...refs, actor: event.actor, data: event.data };
}

export interface EventJson {
  id: number;
  type: string;
  at: string;
  session_id?: string;
  host_id?: string;
  lab_id?: string;
  job_id?: string;
  /** Who caused it: a token's name, `agent:<host>`, `anonymous` or `system`; null before actors were recorded. */
  actor: string | null;
  data: Record<string, unknown>;
}

/** The resume point from `Last-Event-ID` or `?last_event_id=`, 0 when neither is given. */
export function resumePoint(header: string | undefined, query: number | undefined): number {
  return header !== undefined ? Number(header) : (query ?? 0);
}
