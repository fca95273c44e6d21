import { createRoute } from "@hono/zod-openapi";
import { agentTokenToDeliver } from "../../engine/agents/agent-credential.ts";
import { recordAgentHeartbeat } from "../../engine/agents/agent-heartbeat.ts";
import { reconcileHostLabs } from "../../engine/labs/reconcile-labs.ts";
import { pollForWork } from "../../engine/work/take-work.ts";
import { remoteAddress } from "../../platform/remote-address.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { AgentIdParamSchema, BearerHeaderSchema, PollBodySchema, PollResponseSchema } from "../../protocol/agent-schemas.ts";
import { AGENT_PROTOCOL_TAG } from "../system/openapi-document.ts";

const postPoll = createRoute({
  method: "post",
  path: "/v1/agents/{id}/poll",
  tags: [AGENT_PROTOCOL_TAG],
  summary: "Agent heartbeat and long poll for work (Authorization: Bearer <agent token>)",
  description:
    "Answers at once when work is queued for this host, otherwise holds up to `wait_s` seconds (25 by default); the host counts as alive while its poll is held. " +
    "Work dispatched earlier that the agent does not list in `running` is delivered again.",
  security: [{ agentToken: [] }],
  request: {
    params: AgentIdParamSchema,
    headers: BearerHeaderSchema,
    body: { content: { "application/json": { schema: PollBodySchema } }, required: true },
  },
  responses: {
    200: { description: "Work for this host (possibly none)", content: { "application/json": { schema: PollResponseSchema } } },
    ...problemResponses(400, 401, 404),
  },
});

export function registerPostPoll(api: Api, { engine }: RouteDeps): void {
  api.openAPIRegistry.registerComponent("securitySchemes", "agentToken", { type: "http", scheme: "bearer" });
  api.openapi(postPoll, async (c) => {
    const host = c.get("agentHost");
    // A poll without a body (or without a JSON content type) means the defaults.
    const body = PollBodySchema.parse(c.req.valid("json") ?? {});
    await recordAgentHeartbeat(engine, host, remoteAddress(c));
    if (body.labs) await reconcileHostLabs(engine, host, body.labs);
    const work = await pollForWork(engine, host, new Set(body.running), body.wait_s * 1000, c.req.raw.signal);
    const agentToken = await agentTokenToDeliver(engine, host);
    return c.json({ work, ...(agentToken ? { agent_token: agentToken } : {}) }, 200);
  });
}
