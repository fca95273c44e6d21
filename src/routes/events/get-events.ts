import { createRoute, z } from "@hono/zod-openapi";
import { isAdmin, mayActFor, type Principal } from "../../engine/access/principal.ts";
import type { EngineContext } from "../../engine/context.ts";
import type { BrokerEvent } from "../../engine/event-log.ts";
import { eventStreamStart } from "../../engine/events/read-events.ts";
import { recentSession } from "../../engine/sessions/find-session.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import {
  EventStreamHeadersSchema,
  EventStreamQuerySchema,
  eventStreamResponse,
  FollowQuerySchema,
  resumePoint,
  streamEvents,
} from "../streams/event-stream.ts";

const EventsQuerySchema = EventStreamQuerySchema.extend(FollowQuerySchema.shape).extend({
  session_id: z.string().min(1).max(64).optional().openapi({ description: "Only this session's events" }),
  type: z
    .string()
    .regex(/^[a-z][a-z0-9.-]{0,63}$/, "an event type such as lab.failed, or a family such as lab")
    .optional()
    .openapi({ description: "An event type (`lab.failed`) or a family of them (`lab`)" }),
  tail: z.coerce.number().int().min(0).max(1000).optional().openapi({
    description: "Start with the last N matching events (ignored when resuming with Last-Event-ID or last_event_id)",
  }),
  since: z.iso.datetime({ offset: true }).optional().openapi({
    description: "Start with the events at or after this time (as far back as the broker's retention keeps them) instead of now",
  }),
  actor: z.string().min(1).max(200).optional().openapi({
    description: "Only events caused by this actor (e.g. ci-nightly, agent:lab-3, system)",
  }),
});

/**
 * Admins see every event whole (the audit trail). Others see every event's type, time, references
 * and actor, so a console stays live, but the details (`data`: command lines, errors, hosts) only of
 * events outside any session or in sessions of their own.
 */
function hidesData(engine: EngineContext, principal: Principal): ((event: BrokerEvent) => boolean) | undefined {
  if (isAdmin(principal)) return undefined;
  return (event) => {
    if (!event.sessionId) return false;
    const session = recentSession(engine, event.sessionId);
    return !(session && mayActFor(principal, session.ownerId));
  };
}

const getEvents = createRoute({
  method: "get",
  path: "/v1/events",
  tags: ["events"],
  summary:
    "Every state change (sessions, hosts, labs, jobs, work, tokens) as server-sent events, resumable with Last-Event-ID: the audit trail (whole for admins; for others the details only of their own sessions)",
  description:
    "Without Last-Event-ID (or `last_event_id`) the stream starts now; `tail=N` starts it with the last N matching events, `since` at a past time. " +
    "Each event names its `actor`: the token's name, `agent:<host>`, `anonymous`, or `system` for the broker's own doings (timeouts, walltimes, reservations). `?actor=` keeps one actor's events.",
  request: { query: EventsQuerySchema, headers: EventStreamHeadersSchema },
  responses: { 200: eventStreamResponse, ...problemResponses(400, 401, 403, 429, 503) },
});

export function registerGetEvents(api: Api, deps: RouteDeps): void {
  const { engine } = deps;
  api.openapi(getEvents, async (c) => {
    const query = c.req.valid("query");
    const filter = { sessionId: query.session_id ?? null, type: query.type ?? null, actor: query.actor ?? null };
    const afterId = resumePoint(c.req.valid("header")["last-event-id"], query.last_event_id) ??
      (await eventStreamStart(engine, filter, {
        tail: query.tail,
        since: query.since === undefined ? undefined : Date.parse(query.since),
      }));
    return streamEvents(c, deps, {
      filter,
      afterId,
      follow: query.follow === "true",
      hidesData: hidesData(engine, c.get("principal")),
    });
  });
}
