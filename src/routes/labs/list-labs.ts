import { createRoute, z } from "@hono/zod-openapi";
import { LAB_STATES } from "../../engine/labs/lab.ts";
import { listLabs as listStoredLabs } from "../../engine/labs/list-labs.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { LabViewSchema, toLabView } from "./lab-schemas.ts";

export const ListLabsQuerySchema = z.object({
  session_id: z.string().optional(),
  host: z.string().optional().openapi({ description: "Host id" }),
  state: z.enum(LAB_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const listLabs = createRoute({
  method: "get",
  path: "/v1/labs",
  tags: ["labs"],
  summary: "Labs, newest first (live ones by default)",
  request: { query: ListLabsQuerySchema },
  responses: {
    200: { description: "Labs", content: { "application/json": { schema: z.object({ items: z.array(LabViewSchema) }) } } },
    ...problemResponses(400),
  },
});

export function registerListLabs(api: Api, { engine }: RouteDeps): void {
  api.openapi(listLabs, async (c) => {
    const query = c.req.valid("query");
    const labs = await listStoredLabs(engine, { sessionId: query.session_id, hostId: query.host, state: query.state, limit: query.limit });
    return c.json({ items: labs.map(toLabView) }, 200);
  });
}
