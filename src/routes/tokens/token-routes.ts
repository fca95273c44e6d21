import { createRoute, z } from "@hono/zod-openapi";
import { createApiToken, listApiTokens, revokeApiToken } from "../../engine/access/api-tokens.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { CreatedTokenSchema, CreateTokenBodySchema, TokenViewSchema, toTokenView } from "./token-schemas.ts";

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

const listTokens = createRoute({
  method: "get",
  path: "/v1/tokens",
  tags: ["tokens"],
  summary: "Every API token, live and revoked, newest first (admin; never the secrets)",
  responses: {
    200: { description: "Tokens", content: { "application/json": { schema: z.object({ items: z.array(TokenViewSchema) }) } } },
    ...problemResponses(401, 403),
  },
});

const deleteToken = createRoute({
  method: "delete",
  path: "/v1/tokens/{id}",
  tags: ["tokens"],
  summary: "Revoke a token by id or name (admin): it authenticates nothing from now on; its sessions stay",
  request: { params: z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) }) },
  responses: {
    200: { description: "Revoked (or revoked already)", content: { "application/json": { schema: TokenViewSchema } } },
    ...problemResponses(401, 403, 404),
  },
});

export function registerTokenRoutes(api: Api, { engine }: RouteDeps): void {
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
  api.openapi(listTokens, async (c) => c.json({ items: (await listApiTokens(engine)).map(toTokenView) }, 200));
  api.openapi(deleteToken, async (c) => c.json(toTokenView(await revokeApiToken(engine, c.req.valid("param").id)), 200));
}
