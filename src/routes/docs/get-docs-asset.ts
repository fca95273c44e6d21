import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import { DOCS_ASSETS, type DocsAssetName } from "./swagger-assets.ts";

const ASSET_NAMES = Object.keys(DOCS_ASSETS) as [DocsAssetName, ...DocsAssetName[]];

const getDocsAsset = createRoute({
  method: "get",
  path: "/docs/{asset}",
  tags: ["system"],
  summary: "A static asset of the API reference UI",
  request: { params: z.object({ asset: z.enum(ASSET_NAMES) }) },
  responses: {
    200: { description: "The asset", content: { "text/javascript": { schema: z.string() }, "text/css": { schema: z.string() } } },
    ...compatErrorResponses(422),
  },
});

export function registerGetDocsAsset(api: Api): void {
  api.openapi(getDocsAsset, (c) => {
    const asset = DOCS_ASSETS[c.req.valid("param").asset];
    return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "public, max-age=3600" });
  });
}
