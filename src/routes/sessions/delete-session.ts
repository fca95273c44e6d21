import { createRoute } from "@hono/zod-openapi";
import { endSession } from "../../engine/sessions/end-session.ts";
import { findSession } from "../../engine/sessions/find-session.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionIdParamSchema, SessionViewSchema, toSessionView } from "./session-schemas.ts";

const deleteSession = createRoute({
  method: "delete",
  path: "/v1/sessions/{id}",
  tags: ["sessions"],
  summary: "End a session",
  description: "An active session is `released` (its hosts go to the next sessions at once); a waiting one is `cancelled`. " +
    "Ending an ended session changes nothing and answers the same, so an always-run CI step can call it blindly.",
  request: { params: SessionIdParamSchema },
  responses: {
    200: { description: "The ended session", content: { "application/json": { schema: SessionViewSchema } } },
    ...problemResponses(404, 503),
  },
});

export function registerDeleteSession(api: Api, { engine }: RouteDeps): void {
  api.openapi(deleteSession, async (c) => {
    const session = await findSession(engine, c.req.valid("param").id);
    const ended = session.state === "ended"
      ? session
      : await endSession(engine, session.id, session.state === "active" ? "released" : "cancelled");
    return c.json(toSessionView(engine, ended), 200);
  });
}
