import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, type SQL } from "drizzle-orm";
import { LAB_STATES, labs } from "../../../db/schema.ts";
import { findLab } from "../../engine/labs/find-lab.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { LabViewSchema, toLabView } from "./lab-schemas.ts";

export const LabIdParamSchema = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

const getLab = createRoute({
  method: "get",
  path: "/v1/labs/{id}",
  tags: ["labs"],
  summary: "A lab: state, nodes (devices), error",
  request: { params: LabIdParamSchema },
  responses: { 200: { description: "The lab", content: { "application/json": { schema: LabViewSchema } } }, ...problemResponses(404) },
});

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

export function registerGetLabs(api: Api, { engine }: RouteDeps): void {
  api.openapi(getLab, async (c) => c.json(toLabView(await findLab(engine, c.req.valid("param").id)), 200));
  api.openapi(listLabs, async (c) => {
    const query = c.req.valid("query");
    const conditions: SQL[] = [];
    if (query.session_id) conditions.push(eq(labs.sessionId, query.session_id));
    if (query.host) conditions.push(eq(labs.hostId, query.host));
    if (query.state) conditions.push(eq(labs.state, query.state));
    const live = !query.state || query.state !== "inactive";
    const rows = live
      ? engine.state.labs.live()
        .filter((lab) =>
          (!query.session_id || lab.sessionId === query.session_id) && (!query.host || lab.hostId === query.host) &&
          (!query.state || lab.state === query.state)
        )
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, query.limit)
      : await engine.orm.select().from(labs).where(and(...conditions)).orderBy(desc(labs.createdAt)).limit(query.limit);
    return c.json({ items: rows.map(toLabView) }, 200);
  });
}
