import { createRoute, z } from "@hono/zod-openapi";
import { revokeApiToken } from "../../engine/access/api-tokens.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { TokenViewSchema, toTokenView } from "./token-schemas.ts";

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

export function registerDeleteToken(api: Api, { engine }: RouteDeps): void {
  api.openapi(deleteToken, async (c) => c.json(toTokenView(await revokeApiToken(engine, c.req.valid("param").id)), 200));
}
