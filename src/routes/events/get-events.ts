import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { EventStreamHeadersSchema, EventStreamQuerySchema, eventStreamResponse, resumePoint, streamEvents } from "../streams/event-stream.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";

const GetEventsQuerySchema = EventStreamQuerySchema.extend({
  since: z.iso.datetime({ offset: true }).optional().openapi({ description: "Start with the events at or after this time (as far back as the broker's retention keeps them) instead of now" }),
});

const getEvents = createRoute({
  method: "get",
  path: "/v1/events",
  tags: ["events"],
  summary: "Every state change (sessions, hosts, labs, jobs, work) as server-sent events, resumable with Last-Event-ID",
  description: "Without Last-Event-ID (or `last_event_id`) the stream starts now; `since` starts it at a past time instead.",
  request: { query: GetEventsQuerySchema, headers: EventStreamHeadersSchema },
  responses: { 200: eventStreamResponse, ...problemResponses(400, 429, 503) },
});

export function registerGetEvents(api: Api, deps: RouteDeps): void {
  const { engine } = deps;
  api.openapi(getEvents, async (c) => {
    const query = c.req.valid("query");
    const afterId = resumePoint(c.req.valid("header")["last-event-id"], query.last_event_id) ?? (query.since ? await engine.events.idBefore(engine.orm, Date.parse(query.since)) : engine.events.lastId);
    return streamEvents(c, deps, { filter: {}, afterId }) as never;
  });
}
