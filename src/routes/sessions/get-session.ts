import { createRoute } from "@hono/zod-openapi";
import { findSession } from "../../engine/sessions/find-session.ts";
import { touchSession } from "../../engine/sessions/touch-session.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionIdParamSchema, SessionViewSchema, toSessionView } from "./session-schemas.ts";

const getSession = createRoute({
  method: "get",
  path: "/v1/sessions/{id}",
  tags: ["sessions"],
  summary: "A session: state, position and why it waits, assigned hosts by role",
  description: "Asking about a waiting or active session counts as a sign of life, like a heartbeat.",
  request: { params: SessionIdParamSchema },
  responses: {
    200: { description: "The session", content: { "application/json": { schema: SessionViewSchema } } },
    ...problemResponses(404),
  },
});

export function registerGetSession(api: Api, { engine }: RouteDeps): void {
  api.openapi(getSession, async (c) => {
    const session = await findSession(engine, c.req.valid("param").id);
    if (session.state !== "ended") touchSession(engine, session.id);
    return c.json(toSessionView(engine, session), 200);
  });
}
