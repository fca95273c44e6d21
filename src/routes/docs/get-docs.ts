import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import { loadOnce } from "../static-assets.ts";
import { DOCS_ASSET_NAMES, DOCS_PAGE } from "./docs-page.ts";

const docsAssets = loadOnce(async () => (await import("./swagger-assets.ts")).DOCS_ASSETS);

const getDocsPage = createRoute({
  method: "get",
  path: "/docs",
  tags: ["system"],
  summary: "API reference UI (served from the binary, no CDN)",
  responses: { 200: { description: "HTML page", content: { "text/html": { schema: z.string() } } } },
});

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

export function registerDocs(api: Api): void {
  api.openapi(getDocsPage, (c) => c.html(DOCS_PAGE, 200));
  api.openapi(getDocsAsset, async (c) => {
    const asset = (await docsAssets())[c.req.valid("param").asset];
    return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "public, max-age=3600" });
  });
}
