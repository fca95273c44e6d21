import { createRoute } from "@hono/zod-openapi";
import { sessionsAhead } from "../../engine/sessions/queue-standing.ts";
import { touchSession } from "../../engine/sessions/touch-session.ts";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { compatPosition, CompatSessionIdParamSchema, CompatSessionStatusSchema, liveCompatSession } from "./compat-schemas.ts";

const getCompatSession = createRoute({
  method: "get",
  path: "/session/{session_id}",
  tags: ["remote-lab"],
  summary: "Remote Lab: poll a session (refreshes its last-seen time)",
  request: { params: CompatSessionIdParamSchema },
  responses: {
    200: { description: "Status and position", content: { "application/json": { schema: CompatSessionStatusSchema } } },
    ...compatErrorResponses(404),
  },
});

export function registerCompatGetSession(api: Api, { engine }: RouteDeps): void {
  api.openapi(getCompatSession, (c) => {
    const session = liveCompatSession(engine, c.req.valid("param").session_id);
    touchSession(engine, session.id);
    return c.json({
      status: session.state === "active" ? ("active" as const) : ("waiting" as const),
      position: compatPosition(sessionsAhead(engine, session), session),
    }, 200);
  });
}
