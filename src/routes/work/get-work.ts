import { createRoute, z } from "@hono/zod-openapi";
import { findWork } from "../../engine/work/find-work.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { toWorkView, WorkViewSchema } from "./work-schemas.ts";

const getWork = createRoute({
  method: "get",
  path: "/v1/work/{id}",
  tags: ["hosts"],
  summary: "One work item sent to an agent: state, attempts, result",
  request: { params: z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) }) },
  responses: {
    200: { description: "The work item", content: { "application/json": { schema: WorkViewSchema } } },
    ...problemResponses(404),
  },
});

export function registerGetWork(api: Api, { engine }: RouteDeps): void {
  api.openapi(getWork, async (c) => c.json(toWorkView(await findWork(engine, c.req.valid("param").id)), 200));
}
