import { createRoute, z } from "@hono/zod-openapi";
import { actorName, type Principal, TOKEN_ROLES } from "../../engine/access/principal.ts";
import { UnauthorizedError } from "../../engine/errors.ts";
import type { Api } from "../api.ts";
import { isoTime, IsoTimeSchema } from "../iso-time.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";

export const WhoamiSchema = z
  .object({
    kind: z.enum(["token", "anonymous"]),
    name: z.string().openapi({ description: "The actor name events and logs record" }),
    role: z.enum(TOKEN_ROLES),
    expires_at: IsoTimeSchema.nullable(),
    max_priority: z.number().int().nullable().openapi({ description: "Highest session priority allowed (null: any)" }),
    max_walltime_s: z.number().nullable().openapi({
      description: "Longest walltime allowed, and whether reservations are (null with a user role: no reservations)",
    }),
  })
  .openapi("Whoami");

const getWhoami = createRoute({
  method: "get",
  path: "/v1/whoami",
  tags: ["tokens"],
  summary: "Who the request is authenticated as (401 when not at all: the dashboard then asks for a token)",
  responses: { 200: { description: "The caller", content: { "application/json": { schema: WhoamiSchema } } }, ...problemResponses(401) },
});

export function registerGetWhoami(api: Api, { engine }: RouteDeps): void {
  api.openapi(getWhoami, (c) => c.json(whoami(engine.tokens.live(), c.get("principal")), 200));
}

function whoami(live: { id: string; expiresAt: number | null }[], principal: Principal): z.infer<typeof WhoamiSchema> {
  if (principal.kind === "agent") throw new UnauthorizedError("Agent tokens are for the agent protocol only");
  const admin = principal.role === "admin";
  const expiresAt = principal.kind === "token" ? (live.find((token) => token.id === principal.tokenId)?.expiresAt ?? null) : null;
  return {
    kind: principal.kind,
    name: actorName(principal),
    role: principal.role,
    expires_at: isoTime(expiresAt),
    max_priority: admin ? null : principal.kind === "token" ? principal.maxPriority : 0,
    max_walltime_s: admin || principal.kind !== "token" || principal.maxWalltimeMs === null ? null : principal.maxWalltimeMs / 1000,
  };
}
