import { createRoute } from "@hono/zod-openapi";
import { createApiToken } from "../../engine/access/api-tokens.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { CreatedTokenSchema, CreateTokenBodySchema, toTokenView } from "./token-schemas.ts";

const postToken = createRoute({
  method: "post",
  path: "/v1/tokens",
  tags: ["tokens"],
  summary: "Create an API token (admin); the answer is the only time its secret is shown",
  request: { body: { content: { "application/json": { schema: CreateTokenBodySchema } }, required: true } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CreatedTokenSchema } } },
    ...problemResponses(400, 401, 403, 409, 422),
  },
});

export function registerPostToken(api: Api, { engine }: RouteDeps): void {
  api.openapi(postToken, async (c) => {
    const body = c.req.valid("json");
    const { token, secret } = await createApiToken(engine, {
      name: body.name,
      role: body.role,
      expiresAt: body.expires_at !== undefined ? Date.parse(body.expires_at) : null,
      maxPriority: body.max_priority,
      maxWalltimeMs: body.max_walltime_s !== undefined ? Math.round(body.max_walltime_s * 1000) : null,
    });
    return c.json({ ...toTokenView(token), token: secret }, 201);
  });
}
