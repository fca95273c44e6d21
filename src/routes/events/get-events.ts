import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { EventStreamHeadersSchema, EventStreamQuerySchema, eventStreamResponse, resumePoint, streamEvents } from "../event-stream.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";

const getEvents = createRoute({
  method: "get",
  path: "/v1/events",
  tags: ["events"],
  summary: "Every state change (sessions, hosts, labs, jobs, work, tokens) as server-sent events, resumable with Last-Event-ID: the audit trail (admin)",
  description: "Each event names its `actor`: the token's name, `agent:<host>`, `anonymous`, or `system` for the broker's own doings (timeouts, walltimes, reservations). `?actor=` keeps one actor's events.",
  request: {
    query: EventStreamQuerySchema.extend({ actor: z.string().min(1).max(200).optional().openapi({ description: "Only events caused by this actor (e.g. ci-nightly, agent:lab-3, system)" }) }),
    headers: EventStreamHeadersSchema,
  },
  responses: { 200: eventStreamResponse, ...problemResponses(400, 401, 403) },
});

export function registerGetEvents(api: Api, { engine }: RouteDeps): void {
  api.openapi(getEvents, (c) =>
    streamEvents(c, engine, { filter: { actor: c.req.valid("query").actor ?? null }, afterId: resumePoint(c.req.valid("header")["last-event-id"], c.req.valid("query").last_event_id) }) as never,
  );
}
