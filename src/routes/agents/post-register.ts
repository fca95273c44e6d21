import { createRoute } from "@hono/zod-openapi";
import { asActor } from "../../engine/access/actor-scope.ts";
import { isLocalAgentToken } from "../../engine/agents/enrollment.ts";
import { bearerSecret } from "../access/credentials.ts";
import { registerAgent } from "../../engine/agents/register-agent.ts";
import { MAX_POLL_HOLD_S } from "../../protocol/poll-timing.ts";
import { remoteAddress } from "../../platform/remote-address.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { BearerHeaderSchema, RegisterAgentBodySchema, RegisterAgentResponseSchema } from "../../protocol/agent-schemas.ts";
import { LabelsSchema } from "../sessions/session-schemas.ts";
import { AGENT_PROTOCOL_TAG } from "../system/openapi-document.ts";

/** The agent's labels are checked as session labels are. */
const RegisterBodySchema = RegisterAgentBodySchema.extend({ labels: LabelsSchema.default({}) }).openapi("RegisterAgent");

const postRegister = createRoute({
  method: "post",
  path: "/v1/agents/register",
  tags: [AGENT_PROTOCOL_TAG],
  summary: "Enroll an agent (Authorization: Bearer <enrollment token>)",
  description: "Creates the host, or re-attaches to the host of the same name. Answers an agent token; only its hash is stored. " +
    "409 when another installation (another `install_id`) holds the name and its host is online, " +
    "or when the agent's major version or protocol version differs from the broker's.",
  security: [{ enrollmentToken: [] }],
  request: { headers: BearerHeaderSchema, body: { content: { "application/json": { schema: RegisterBodySchema } }, required: true } },
  responses: {
    201: { description: "Registered", content: { "application/json": { schema: RegisterAgentResponseSchema } } },
    ...problemResponses(400, 401, 409, 503),
  },
});

export function registerPostRegister(api: Api, { engine }: RouteDeps): void {
  api.openAPIRegistry.registerComponent("securitySchemes", "enrollmentToken", { type: "http", scheme: "bearer" });
  api.openapi(postRegister, async (c) => {
    const body = c.req.valid("json");
    // The enrollment token was checked before the body was read (access-rules.ts); the agent acts from here on.
    const { host, agentToken, reattached } = await asActor(`agent:${body.name}`, () =>
      registerAgent(engine, {
        ...body,
        currentAgentToken: body.current_agent_token,
        protocolVersion: body.protocol_version,
        installId: body.install_id,
        agentAddress: remoteAddress(c),
        localAgent: isLocalAgentToken(engine, bearerSecret(c)),
      }));
    return c.json({ agent_id: host.id, agent_token: agentToken, reattached, poll_timeout_s: MAX_POLL_HOLD_S }, 201);
  });
}
