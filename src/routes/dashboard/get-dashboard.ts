import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import { DASHBOARD_ASSETS, type DashboardAssetName } from "./dashboard-assets.ts";
import { DASHBOARD_PAGE } from "./dashboard-page.ts";

const ASSET_NAMES = Object.keys(DASHBOARD_ASSETS) as [DashboardAssetName, ...DashboardAssetName[]];

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
  request: { params: z.object({ asset: z.enum(ASSET_NAMES) }) },
  responses: {
    200: { description: "The asset", content: { "text/javascript": { schema: z.string() }, "text/css": { schema: z.string() } } },
    ...compatErrorResponses(422),
  },
});

export function registerDashboard(api: Api): void {
  api.openapi(getDashboard, (c) => c.html(DASHBOARD_PAGE, 200));
  api.openapi(getDashboardAsset, (c) => {
    const asset = DASHBOARD_ASSETS[c.req.valid("param").asset];
    return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "no-cache" });
  });
}
