import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { DASHBOARD_PAGE, DASHBOARD_SCRIPT } from "./dashboard-page.ts";

const getDashboard = createRoute({
  method: "get",
  path: "/",
  tags: ["system"],
  summary: "Live dashboard: hosts, sessions and labs",
  responses: { 200: { description: "HTML page", content: { "text/html": { schema: z.string() } } } },
});

const getDashboardScript = createRoute({
  method: "get",
  path: "/dashboard.js",
  tags: ["system"],
  summary: "The dashboard's script",
  responses: { 200: { description: "JavaScript", content: { "text/javascript": { schema: z.string() } } } },
});

export function registerDashboard(api: Api): void {
  api.openapi(getDashboard, (c) => c.html(DASHBOARD_PAGE, 200));
  api.openapi(getDashboardScript, (c) => c.body(DASHBOARD_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8" }) as never);
}
