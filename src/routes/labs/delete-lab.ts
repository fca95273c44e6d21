import { createRoute, z } from "@hono/zod-openapi";
import { findLab } from "../../engine/labs/find-lab.ts";
import { deleteLab } from "../../engine/labs/lab-actions.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { LabIdParamSchema, LabViewSchema, toLabView } from "./lab-schemas.ts";

const deleteLabRoute = createRoute({
  method: "delete",
  path: "/v1/labs/{id}",
  tags: ["labs"],
  summary: "Destroy a lab (removes everything it created on the host)",
  request: {
    params: LabIdParamSchema,
    query: z.object({ force: z.enum(["true", "false"]).default("true").openapi({ description: "Destroy even while held" }) }),
  },
  responses: {
    202: { description: "Being destroyed (or already gone)", content: { "application/json": { schema: LabViewSchema } } },
    ...problemResponses(404, 409, 503),
  },
});

export function registerDeleteLab(api: Api, { engine }: RouteDeps): void {
  api.openapi(deleteLabRoute, async (c) => {
    const lab = await findLab(engine, c.req.valid("param").id);
    await deleteLab(engine, lab, c.req.valid("query").force === "true", "deleted through the API");
    return c.json(toLabView(lab), 202);
  });
}
