import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { DASHBOARD_PAGE } from "./dashboard-page.ts";

const getDashboard = createRoute({
  method: "get",
  path: "/",
  tags: ["system"],
  summary: "The operator console: hosts, queue, timeline, usage, labs, jobs, history and events, live over /v1/events",
  responses: { 200: { description: "HTML page", content: { "text/html": { schema: z.string() } } } },
});

export function registerGetDashboard(api: Api): void {
  api.openapi(getDashboard, (c) => c.html(DASHBOARD_PAGE, 200));
}
