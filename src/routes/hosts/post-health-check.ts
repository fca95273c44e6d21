import { createRoute } from "@hono/zod-openapi";
import { recheckHostHealth } from "../../engine/hosts/recheck-host-health.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { HostIdParamSchema, HostViewSchema, toHostView } from "./host-schemas.ts";

const postHealthCheck = createRoute({
  method: "post",
  path: "/v1/hosts/{id}/health-check",
  tags: ["hosts"],
  summary: "Check the host against its idle baseline now; a pass makes an unhealthy host healthy",
  request: { params: HostIdParamSchema },
  responses: {
    202: { description: "The host, `checking` until its agent reports", content: { "application/json": { schema: HostViewSchema } } },
    ...problemResponses(404, 409, 503),
  },
});

export function registerPostHealthCheck(api: Api, { engine }: RouteDeps): void {
  api.openapi(postHealthCheck, async (c) => c.json(toHostView(await recheckHostHealth(engine, c.req.valid("param").id)), 202));
}
