import { createRoute, z } from "@hono/zod-openapi";
import { authenticateAgent, recordAgentHeartbeat } from "../../engine/agents/agent-heartbeat.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { AgentIdParamSchema, BearerHeaderSchema, bearerToken } from "./agent-schemas.ts";

const postPoll = createRoute({
  method: "post",
  path: "/v1/agents/{id}/poll",
  tags: ["agents"],
  summary: "Agent heartbeat and work poll (Authorization: Bearer <agent token>)",
  security: [{ agentToken: [] }],
  request: { params: AgentIdParamSchema, headers: BearerHeaderSchema },
  responses: {
    200: { description: "Work for this host", content: { "application/json": { schema: z.object({ work: z.array(z.unknown()) }) } } },
    ...problemResponses(401, 404),
  },
});

export function registerPostPoll(api: Api, { engine }: RouteDeps): void {
  api.openAPIRegistry.registerComponent("securitySchemes", "agentToken", { type: "http", scheme: "bearer" });
  api.openapi(postPoll, async (c) => {
    const host = authenticateAgent(engine, c.req.valid("param").id, bearerToken(c.req.valid("header").authorization));
    await recordAgentHeartbeat(engine, host);
    return c.json({ work: [] }, 200);
  });
}
