import { createRoute } from "@hono/zod-openapi";
import { deleteCookie } from "hono/cookie";
import { TOKEN_COOKIE } from "../access/credentials.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";

const postLogout = createRoute({
  method: "post",
  path: "/v1/logout",
  tags: ["tokens"],
  summary: "Dashboard logout: clears the cookie",
  responses: { 204: { description: "Logged out" }, ...problemResponses(403) },
});

export function registerPostLogout(api: Api): void {
  api.openapi(postLogout, (c) => {
    deleteCookie(c, TOKEN_COOKIE, { path: "/" });
    return c.body(null, 204);
  });
}
