import { createRoute } from "@hono/zod-openapi";
import type { Api } from "../api.ts";

const getHealthz = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["system"],
  summary: "Liveness probe (Remote Lab compatible)",
  responses: { 204: { description: "The broker is up" } },
});

export function registerHealthz(api: Api): void {
  api.openapi(getHealthz, (c) => c.body(null, 204));
}
