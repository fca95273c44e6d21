import { createRoute } from "@hono/zod-openapi";
import { findSession } from "../../engine/sessions/find-session.ts";
import type { Api } from "../api.ts";
import {
  EventStreamHeadersSchema,
  EventStreamQuerySchema,
  eventStreamResponse,
  resumePoint,
  streamEvents,
} from "../streams/event-stream.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionIdParamSchema } from "./session-schemas.ts";
import { waitStatus } from "./wait-status.ts";

const getSessionEvents = createRoute({
  method: "get",
  path: "/v1/sessions/{id}/events",
  tags: ["sessions"],
  summary: "Follow a session's state changes as server-sent events",
  description:
    "Stored events (`session.created`, `session.activated` with the hosts by role, `session.ended`, and later lab and job events) " +
    "replayed after Last-Event-ID, then live. While waiting, a `position` event carries the position, the reason, who holds the hosts it could use (`held_by`) and `estimated_start_at` whenever they change. " +
    "The stream ends after `session.ended`.",
  request: { params: SessionIdParamSchema, query: EventStreamQuerySchema, headers: EventStreamHeadersSchema },
  responses: { 200: eventStreamResponse, ...problemResponses(400, 404, 429, 503) },
});

export function registerGetSessionEvents(api: Api, deps: RouteDeps): void {
  const { engine } = deps;
  api.openapi(getSessionEvents, async (c) => {
    const session = await findSession(engine, c.req.valid("param").id);
    return streamEvents(c, deps, {
      filter: { sessionId: session.id },
      afterId: resumePoint(c.req.valid("header")["last-event-id"], c.req.valid("query").last_event_id) ?? 0,
      snapshot: () => {
        if (session.state !== "waiting") return null;
        return { event: "position", data: waitStatus(engine, session) };
      },
      isLast: (event) => event.type === "session.ended",
    });
  });
}
