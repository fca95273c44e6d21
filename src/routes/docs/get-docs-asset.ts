import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import { loadOnce } from "../static-assets.ts";
import { DOCS_ASSET_NAMES } from "./docs-page.ts";

// Loaded on first request: an idle broker does not hold the 1.9 MB Swagger UI bundle.
const docsAssets = loadOnce(async () => (await import("./swagger-assets.ts")).DOCS_ASSETS);

const getDocsAsset = createRoute({
  method: "get",
  path: "/docs/{asset}",
  tags: ["system"],
  summary: "A static asset of the API reference UI",
  request: { params: z.object({ asset: z.enum(DOCS_ASSET_NAMES) }) },
  responses: {
    200: { description: "The asset", content: { "text/javascript": { schema: z.string() }, "text/css": { schema: z.string() } } },
    ...compatErrorResponses(422),
  },
});

export function registerGetDocsAsset(api: Api): void {
  api.openapi(getDocsAsset, async (c) => {
    const asset = (await docsAssets())[c.req.valid("param").asset];
    return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "public, max-age=3600" });
  });
}
