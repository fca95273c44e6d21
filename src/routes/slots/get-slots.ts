import { createRoute, z } from "@hono/zod-openapi";
import { BadRequestError } from "../../engine/errors.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { answerSlotQuery, SLOT_SEARCH_DESCRIPTION, SlotAnswerSchema, type SlotQuery, SlotQuerySchema } from "./slot-schemas.ts";

const getSlots = createRoute({
  method: "get",
  path: "/v1/slots",
  tags: ["time"],
  summary: "Test a slot or find the earliest common slot (query `q` = the JSON of the POST body)",
  description: SLOT_SEARCH_DESCRIPTION,
  request: { query: z.object({ q: z.string().min(2).max(64 * 1024) }) },
  responses: { 200: { description: "The slot", content: { "application/json": { schema: SlotAnswerSchema } } }, ...problemResponses(400) },
});

export function registerGetSlots(api: Api, { engine }: RouteDeps): void {
  api.openapi(getSlots, (c) => c.json(answerSlotQuery(engine, parseSlotQuery(c.req.valid("query").q)), 200));
}

/** `q` is the POST body as JSON; its errors name the field inside it. */
function parseSlotQuery(q: string): SlotQuery {
  let parsed: unknown;
  try {
    parsed = JSON.parse(q);
  } catch {
    throw new BadRequestError("q must be JSON");
  }
  const query = SlotQuerySchema.safeParse(parsed);
  if (!query.success) {
    throw new BadRequestError(`q: ${query.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
  }
  return query.data;
}
