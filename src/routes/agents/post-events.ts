import { createRoute, z } from "@hono/zod-openapi";
import { recordAgentEvents } from "../../engine/work/record-agent-events.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { AgentEventsBodySchema, AgentIdParamSchema, BearerHeaderSchema } from "../../protocol/agent-schemas.ts";
import { UPLOAD_BODY } from "../requests/route-body-limits.ts";
import { AGENT_PROTOCOL_TAG } from "../system/openapi-document.ts";

const postEvents = createRoute({
  ...UPLOAD_BODY,
  method: "post",
  path: "/v1/agents/{id}/events",
  tags: [AGENT_PROTOCOL_TAG],
  summary: "Agent output lines and results for its work, in order and idempotent",
  description:
    "Per work item, events carry seq 1, 2, …; the `result` event finishes it. Resending an identical recorded event is acknowledged as a duplicate; " +
    "a gap, different content under a recorded seq, or an event after the result is 409 and nothing of the batch is applied.",
  security: [{ agentToken: [] }],
  request: {
    params: AgentIdParamSchema,
    headers: BearerHeaderSchema,
    body: { content: { "application/json": { schema: AgentEventsBodySchema } }, required: true },
  },
  responses: {
    200: {
      description: "Recorded",
      content: { "application/json": { schema: z.object({ accepted: z.number().int(), duplicates: z.number().int() }) } },
    },
    ...problemResponses(400, 401, 404, 409, 413, 503),
  },
});

export function registerPostEvents(api: Api, { engine }: RouteDeps): void {
  api.openapi(postEvents, async (c) => {
    return c.json(await recordAgentEvents(engine, c.get("agentHost"), c.req.valid("json").events), 200);
  });
}
