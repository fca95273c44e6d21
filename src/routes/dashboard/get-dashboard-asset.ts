import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import { DASHBOARD_ASSETS, type DashboardAssetName } from "./dashboard-assets.ts";

const ASSET_NAMES = Object.keys(DASHBOARD_ASSETS) as [DashboardAssetName, ...DashboardAssetName[]];

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

export function registerGetDashboardAsset(api: Api): void {
  api.openapi(getDashboardAsset, (c) => {
    const asset = DASHBOARD_ASSETS[c.req.valid("param").asset];
    return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "no-cache" });
  });
}
