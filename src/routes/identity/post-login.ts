import { createRoute, z } from "@hono/zod-openapi";
import { setCookie } from "hono/cookie";
import { UnauthorizedError } from "../../engine/errors.ts";
import { TOKEN_COOKIE } from "../access/credentials.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";

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

/** `cookieSecure` says whether the cookie may travel only over HTTPS for a request to `url`. */
export function registerPostLogin(api: Api, { engine }: RouteDeps, cookieSecure: (url: string) => boolean): void {
  api.openapi(postLogin, (c) => {
    const secret = c.req.valid("json").token;
    if (!engine.tokens.authenticate(secret, engine.clock.now())) throw new UnauthorizedError("The token is unknown, revoked or expired");
    setCookie(c, TOKEN_COOKIE, secret, { path: "/", httpOnly: true, sameSite: "Strict", secure: cookieSecure(c.req.url) });
    return c.body(null, 204);
  });
}
