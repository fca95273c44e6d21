import { createRoute } from "@hono/zod-openapi";
import { endSession } from "../../engine/sessions/end-session.ts";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { CompatSessionIdParamSchema, liveCompatSession } from "./compat-schemas.ts";

const deleteCompatSession = createRoute({
  method: "delete",
  path: "/session/{session_id}",
  tags: ["remote-lab"],
  summary: "Remote Lab: end a session; an active one frees its host for the next in line",
  request: { params: CompatSessionIdParamSchema },
  responses: { 204: { description: "Ended" }, ...compatErrorResponses(404) },
});

export function registerCompatDeleteSession(api: Api, { engine }: RouteDeps): void {
  api.openapi(deleteCompatSession, async (c) => {
    const session = liveCompatSession(engine, c.req.valid("param").session_id);
    await endSession(engine, session.id, session.state === "active" ? "released" : "cancelled");
    return c.body(null, 204);
  });
}
