import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { sleepOn } from "../../clock.ts";
import { type BrokerEvent, type EventFilter, matchesFilter } from "../../engine/event-log.ts";
import { readEventsSince } from "../../engine/events/read-events.ts";
import { isoTime } from "../iso-time.ts";
import type { RouteDeps } from "../route-deps.ts";
import { eventStreamEntry, nextTurn, roomWithin, sseResponse } from "./sse-response.ts";
import { sendBrokerRestarting, sendOverflow } from "./stream-endings.ts";

const REPLAY_PAGE = 200;
const KEEPALIVE_MS = 15_000;
/** Live events a stream keeps in memory while it sends; beyond them it reads them back from the database. */
const MAX_PENDING_EVENTS = 1_000;

export const EventStreamQuerySchema = z.object({
  last_event_id: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().openapi({
    description: "Resume after this event id (same as the Last-Event-ID header)",
  }),
});

/** `follow=false`: send what is stored, then an `end` event, and close (a finished log ends by itself either way). */
export const FollowQuerySchema = z.object({
  follow: z.enum(["true", "false"]).default("true").openapi({
    description: "false: send what is stored, then `end`, instead of following live",
  }),
});

export const EventStreamHeadersSchema = z.object({ "last-event-id": z.string().regex(/^\d{1,15}$/).optional() });

export const eventStreamResponse = eventStreamEntry(
  "Server-sent events. Each stored event has an `id` (resume with Last-Event-ID), `event` = its type and JSON `data`. " +
    "Snapshot events without an id (such as `position`) are sent whenever they change. A client that falls behind gets a last " +
    "`stream.overflow` event saying where to resume, and the stream ends.",
);

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
export function streamEvents(c: Context, deps: RouteDeps, options: EventStreamOptions): Response {
  const { engine } = deps;
  return sseResponse(c, deps, async (sink) => {
    const pending: BrokerEvent[] = [];
    let wake: () => void = () => {};
    let snapshotDirty = true;
    let lastSent = options.afterId;
    let lastSnapshot = "";
    // Every event may move a snapshot (a queue position), but only matching ones are kept for sending.
    // Past MAX_PENDING_EVENTS they are dropped and read back from the database instead.
    let catchUp = false;
    const unsubscribe = engine.events.subscribe(options.snapshot ? {} : options.filter, (event) => {
      if (matchesFilter(event, options.filter)) {
        if (pending.length < MAX_PENDING_EVENTS) pending.push(event);
        else catchUp = true;
      }
      snapshotDirty = true;
      wake();
    });
    const stop = () => wake();
    engine.shutdown.addEventListener("abort", stop, { once: true });
    sink.ended.addEventListener("abort", stop, { once: true });
    const ending = () => engine.shutdown.aborted || sink.ended.aborted;
    /** Sends one event once there is room; false when the stream ends with it or cannot go on. */
    const send = async (event: BrokerEvent): Promise<boolean> => {
      if (!(await roomWithin(sink, engine))) {
        if (!ending()) sendOverflow(sink, lastSent);
        return false;
      }
      lastSent = event.id;
      sink.send({ id: String(event.id), event: event.type, data: eventData(options.view ? options.view(event) : event) });
      return !(options.isLast?.(event) ?? false);
    };
    /**
     * Stored events after the last one sent, until a page comes back short; live ones go on
     * collecting meanwhile. Pages are read one stream at a time, so many history requests share the
     * database with everything else instead of crowding it out.
     */
    const replay = async (): Promise<boolean> => {
      for (;;) {
        await nextTurn();
        const page = await deps.replayPages(() => readEventsSince(engine, options.filter, lastSent, REPLAY_PAGE));
        for (const event of page) if (!(await send(event))) return false;
        if (page.length < REPLAY_PAGE) return true;
      }
    };
    try {
      if (!(await replay())) return;
      if (options.follow === false) return void sink.send({ event: "end", data: "{}" });
      while (!ending()) {
        if (catchUp) {
          catchUp = false;
          pending.length = 0;
          if (!(await replay())) return;
        }
        for (const event of pending.splice(0)) {
          if (event.id > lastSent && !(await send(event))) return;
        }
        if (snapshotDirty) {
          snapshotDirty = false;
          const snapshot = options.snapshot?.();
          const text = snapshot ? JSON.stringify(snapshot) : "";
          if (snapshot && text !== lastSnapshot) sink.send({ event: snapshot.event, data: JSON.stringify(snapshot.data) });
          lastSnapshot = text;
        }
        if (pending.length > 0 || catchUp || snapshotDirty || ending()) continue;
        const woken = new Promise<void>((resolve) => (wake = resolve));
        const gaveUp = new AbortController();
        await Promise.race([woken, sleepOn(engine.clock, KEEPALIVE_MS, gaveUp.signal)]);
        gaveUp.abort();
        await nextTurn();
        if (pending.length === 0 && !catchUp && !snapshotDirty && !ending()) sink.comment("keepalive");
      }
    } finally {
      if (engine.shutdown.aborted) sendBrokerRestarting(sink);
      engine.shutdown.removeEventListener("abort", stop);
      unsubscribe();
    }
  });
}

// A live event goes to every open stream: its JSON is made once.
const eventDataCache = new WeakMap<BrokerEvent, string>();

function eventData(event: BrokerEvent): string {
  let data = eventDataCache.get(event);
  if (data === undefined) eventDataCache.set(event, data = JSON.stringify(eventJson(event)));
  return data;
}

/** An event as clients see it: time as RFC 3339, only the references it has. */
export function eventJson(event: BrokerEvent): EventJson {
  const refs = Object.fromEntries(
    Object.entries({ session_id: event.sessionId, host_id: event.hostId, lab_id: event.labId, job_id: event.jobId }).filter(([, value]) =>
      value
    ),
  );
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

/** The resume point from `Last-Event-ID` or `?last_event_id=`, or undefined when neither is given. */
export function resumePoint(header: string | undefined, query: number | undefined): number | undefined {
  return header !== undefined ? Number(header) : query;
}
