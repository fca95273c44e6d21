import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Logger } from "../log.ts";
import type { ApiEnv } from "./api.ts";

/**
 * Routes asked every few seconds by monitoring and by every agent's long poll: their lines would
 * drown the others, so they are debug while they succeed.
 */
const POLLED_ROUTES = new Set(["/healthz", "/readyz", "/metrics", "/v1/agents/:id/poll"]);

/** One structured log line per request, after the response is known. */
export function requestLog(log: Logger): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const write = POLLED_ROUTES.has(routePath(c)) && c.res.status < 400 ? log.debug : log.info;
    write("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      requestId: c.get("requestId"),
    });
  };
}
