import { createRoute } from "@hono/zod-openapi";
import { findLab } from "../../engine/labs/find-lab.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { LabIdParamSchema, LabViewSchema, toLabView } from "./lab-schemas.ts";

const getLab = createRoute({
  method: "get",
  path: "/v1/labs/{id}",
  tags: ["labs"],
  summary: "A lab: state, nodes (devices), error",
  request: { params: LabIdParamSchema },
  responses: { 200: { description: "The lab", content: { "application/json": { schema: LabViewSchema } } }, ...problemResponses(404) },
});

export function registerGetLab(api: Api, { engine }: RouteDeps): void {
  api.openapi(getLab, async (c) => c.json(toLabView(await findLab(engine, c.req.valid("param").id)), 200));
}
