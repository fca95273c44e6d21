import { createRoute } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { answerSlotQuery, SLOT_SEARCH_DESCRIPTION, SlotAnswerSchema, SlotQuerySchema } from "./slot-schemas.ts";

const postSlots = createRoute({
  method: "post",
  path: "/v1/slots",
  tags: ["time"],
  summary: "Test a slot or find the earliest common slot",
  description: SLOT_SEARCH_DESCRIPTION,
  request: { body: { content: { "application/json": { schema: SlotQuerySchema } }, required: true } },
  responses: { 200: { description: "The slot", content: { "application/json": { schema: SlotAnswerSchema } } }, ...problemResponses(400) },
});

export function registerPostSlots(api: Api, { engine }: RouteDeps): void {
  api.openapi(postSlots, (c) => c.json(answerSlotQuery(engine, c.req.valid("json")), 200));
}
