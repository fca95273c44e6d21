import { createRoute, z } from "@hono/zod-openapi";
import { deleteCookie, setCookie } from "hono/cookie";
import { TOKEN_ROLES } from "../../../db/schema.ts";
import { actorName, type Principal } from "../../engine/access/principal.ts";
import { UnauthorizedError } from "../../engine/errors.ts";
import type { Api } from "../api.ts";
import { isoTime, IsoTimeSchema } from "../iso-time.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { TOKEN_COOKIE } from "./credentials.ts";

const postLogin = createRoute({
  method: "post",
  path: "/v1/login",
  tags: ["tokens"],
  summary: "Dashboard login: a valid token becomes an HttpOnly, SameSite=Strict cookie that authenticates this browser's /v1 calls",
  request: {
    body: {
      content: { "application/json": { schema: z.object({ token: z.string().min(1).max(200) }).strict().openapi("Login") } },
      required: true,
    },
  },
  responses: { 204: { description: "Logged in: the cookie is set" }, ...problemResponses(400, 401, 403) },
});

const postLogout = createRoute({
  method: "post",
  path: "/v1/logout",
  tags: ["tokens"],
  summary: "Dashboard logout: clears the cookie",
  responses: { 204: { description: "Logged out" }, ...problemResponses(403) },
});

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

export function registerLoginRoutes(api: Api, { engine }: RouteDeps, cookieSecure: (url: string) => boolean): void {
  api.openAPIRegistry.registerComponent("securitySchemes", "apiToken", {
    type: "http",
    scheme: "bearer",
    description: "An API token (labbroker token create)",
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "apiTokenAsPassword", {
    type: "http",
    scheme: "basic",
    description: "Any user name, the API token as password (Remote Lab clients)",
  });
  api.openapi(postLogin, (c) => {
    const secret = c.req.valid("json").token;
    if (!engine.tokens.authenticate(secret, engine.clock.now())) throw new UnauthorizedError("The token is unknown, revoked or expired");
    setCookie(c, TOKEN_COOKIE, secret, { path: "/", httpOnly: true, sameSite: "Strict", secure: cookieSecure(c.req.url) });
    return c.body(null, 204);
  });
  api.openapi(postLogout, (c) => {
    deleteCookie(c, TOKEN_COOKIE, { path: "/" });
    return c.body(null, 204);
  });
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
