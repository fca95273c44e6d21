import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { BrokerMetrics } from "../metrics/broker-metrics.ts";
import type { ApiEnv } from "./api.ts";

/** Counts every request's duration under its route pattern (`/v1/sessions/:id`), never its raw path. */
export function requestMetrics(metrics: BrokerMetrics): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const stop = metrics.requestSeconds.startTimer();
    await next();
    const pattern = routePath(c);
    // Only middleware matched (the pattern is a wildcard): an unknown path, counted under one label.
    const route = pattern.includes("*") ? "unmatched" : pattern;
    stop({ method: c.req.method, route, status: String(c.res.status) });
  };
}
