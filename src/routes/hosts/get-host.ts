import { createRoute } from "@hono/zod-openapi";
import { findHost } from "../../engine/hosts/update-host.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { HostIdParamSchema, HostViewSchema, toHostView } from "./host-schemas.ts";

const getHost = createRoute({
  method: "get",
  path: "/v1/hosts/{id}",
  tags: ["hosts"],
  summary: "One host, by id or name",
  request: { params: HostIdParamSchema },
  responses: { 200: { description: "The host", content: { "application/json": { schema: HostViewSchema } } }, ...problemResponses(404) },
});

export function registerGetHost(api: Api, { engine }: RouteDeps): void {
  api.openapi(getHost, (c) => c.json(toHostView(findHost(engine, c.req.valid("param").id)), 200));
}
