import type { MiddlewareHandler } from "hono";
import type { Logger } from "../log.ts";
import type { ApiEnv } from "./api.ts";

/** Paths that monitoring asks every few seconds: their lines would drown the others, so they are debug. */
const POLLED_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

/** One structured log line per request, after the response is known. */
export function requestLog(log: Logger): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const write = POLLED_PATHS.has(c.req.path) && c.res.status < 400 ? log.debug : log.info;
    write("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      requestId: c.get("requestId"),
    });
  };
}
