import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import { loadOnce } from "../static-assets.ts";
import { DASHBOARD_ASSET_NAMES, DASHBOARD_PAGE } from "./dashboard-page.ts";

const dashboardAssets = loadOnce(async () => (await import("./dashboard-assets.ts")).DASHBOARD_ASSETS);

const getDashboard = createRoute({
  method: "get",
  path: "/",
  tags: ["system"],
  summary: "The operator console: hosts, queue, timeline, usage, labs, jobs, history and events, live over /v1/events",
  responses: { 200: { description: "HTML page", content: { "text/html": { schema: z.string() } } } },
});

const getDashboardAsset = createRoute({
  method: "get",
  path: "/dashboard/{asset}",
  tags: ["system"],
  summary: "A script or style sheet of the console (served from the binary, no CDN)",
  request: { params: z.object({ asset: z.enum(DASHBOARD_ASSET_NAMES) }) },
  responses: {
    200: { description: "The asset", content: { "text/javascript": { schema: z.string() }, "text/css": { schema: z.string() } } },
    ...compatErrorResponses(422),
  },
});

export function registerDashboard(api: Api): void {
  api.openapi(getDashboard, (c) => c.html(DASHBOARD_PAGE, 200));
  api.openapi(getDashboardAsset, async (c) => {
    const asset = (await dashboardAssets())[c.req.valid("param").asset];
    return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "no-cache" });
  });
}
