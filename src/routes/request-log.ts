import type { MiddlewareHandler } from "hono";
import type { Logger } from "../log.ts";
import type { ApiEnv } from "./api.ts";

/** One structured log line per request, after the response is known. */
export function requestLog(log: Logger): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    log.info("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      requestId: c.get("requestId"),
    });
  };
}
