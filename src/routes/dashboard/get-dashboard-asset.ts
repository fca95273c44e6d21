import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import { loadOnce } from "../static-assets.ts";
import { DASHBOARD_ASSET_NAMES } from "./dashboard-page.ts";

// Loaded on first request: an idle broker does not hold the console's scripts.
const dashboardAssets = loadOnce(async () => (await import("./dashboard-assets.ts")).DASHBOARD_ASSETS);

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

export function registerGetDashboardAsset(api: Api): void {
  api.openapi(getDashboardAsset, async (c) => {
    const asset = (await dashboardAssets())[c.req.valid("param").asset];
    return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "no-cache" });
  });
}
