import { createRoute, z } from "@hono/zod-openapi";
import { listApiTokens } from "../../engine/access/api-tokens.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { TokenViewSchema, toTokenView } from "./token-schemas.ts";

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

export function registerListTokens(api: Api, { engine }: RouteDeps): void {
  api.openapi(listTokens, async (c) => c.json({ items: (await listApiTokens(engine)).map(toTokenView) }, 200));
}
