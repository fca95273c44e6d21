import { createRoute } from "@hono/zod-openapi";
import { explainWait } from "../../engine/sessions/explain-wait.ts";
import { findSession } from "../../engine/sessions/find-session.ts";
import type { Api } from "../api.ts";
import { EventStreamHeadersSchema, EventStreamQuerySchema, eventStreamResponse, resumePoint, streamEvents } from "../streams/event-stream.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionIdParamSchema } from "./session-schemas.ts";

const getSessionEvents = createRoute({
  method: "get",
  path: "/v1/sessions/{id}/events",
  tags: ["sessions"],
  summary: "Follow a session's state changes as server-sent events",
  description:
    "Stored events (`session.created`, `session.activated` with the hosts by role, `session.ended`, and later lab and job events) " +
    "replayed after Last-Event-ID, then live. While waiting, a `position` event carries the position and reason whenever they change. " +
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
        const wait = explainWait(engine, session);
        return { event: "position", data: { position: wait.position, reason: wait.reason, unsatisfiable: wait.unsatisfiable } };
      },
      isLast: (event) => event.type === "session.ended",
    }) as never;
  });
}
