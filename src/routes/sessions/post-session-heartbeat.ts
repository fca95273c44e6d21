import { createRoute } from "@hono/zod-openapi";
import { touchSession } from "../../engine/sessions/touch-session.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionIdParamSchema } from "./session-schemas.ts";

const postSessionHeartbeat = createRoute({
  method: "post",
  path: "/v1/sessions/{id}/heartbeat",
  tags: ["sessions"],
  summary: "Keep a waiting or active session from being dropped",
  request: { params: SessionIdParamSchema },
  responses: { 204: { description: "Recorded" }, ...problemResponses(404) },
});

export function registerPostSessionHeartbeat(api: Api, { engine }: RouteDeps): void {
  api.openapi(postSessionHeartbeat, (c) => {
    touchSession(engine, c.req.valid("param").id);
    return c.body(null, 204);
  });
}
