import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { RouteDeps } from "../route-deps.ts";
import { EventFollower, type EventStreamOptions } from "./event-follower.ts";
import { eventStreamEntry, sseResponse } from "./sse-response.ts";

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

/** Replays stored events after `afterId`, then follows live ones; nothing is lost between the two. */
export function streamEvents(c: Context, deps: RouteDeps, options: EventStreamOptions): Response {
  return sseResponse(c, deps, (sink) => new EventFollower(deps.engine, deps, sink, options).run());
}

/** The resume point from `Last-Event-ID` or `?last_event_id=`, or undefined when neither is given. */
export function resumePoint(header: string | undefined, query: number | undefined): number | undefined {
  return header !== undefined ? Number(header) : query;
}
