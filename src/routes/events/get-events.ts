import { createRoute } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { EventStreamHeadersSchema, EventStreamQuerySchema, eventStreamResponse, resumePoint, streamEvents } from "../event-stream.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";

const getEvents = createRoute({
  method: "get",
  path: "/v1/events",
  tags: ["events"],
  summary: "Every state change (sessions, hosts, labs, jobs, work) as server-sent events, resumable with Last-Event-ID",
  request: { query: EventStreamQuerySchema, headers: EventStreamHeadersSchema },
  responses: { 200: eventStreamResponse, ...problemResponses(400) },
});

export function registerGetEvents(api: Api, { engine }: RouteDeps): void {
  api.openapi(getEvents, (c) =>
    streamEvents(c, engine, { filter: {}, afterId: resumePoint(c.req.valid("header")["last-event-id"], c.req.valid("query").last_event_id) }) as never,
  );
}
