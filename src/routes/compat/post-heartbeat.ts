import { createRoute } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { touchSession } from "../../engine/sessions/touch-session.ts";
import { liveCompatSession, SessionHeaderSchema } from "./compat-schemas.ts";

const postCompatHeartbeat = createRoute({
  method: "post",
  path: "/session/heartbeat",
  tags: ["remote-lab"],
  summary: "Remote Lab: keep the session in X-Session-ID alive",
  request: { headers: SessionHeaderSchema },
  responses: { 204: { description: "Recorded" }, ...compatErrorResponses(404, 422) },
});

export function registerCompatPostHeartbeat(api: Api, { engine }: RouteDeps): void {
  api.openapi(postCompatHeartbeat, (c) => {
    touchSession(engine, liveCompatSession(engine, c.req.valid("header")["x-session-id"]).id);
    return c.body(null, 204);
  });
}
