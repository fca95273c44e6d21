import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { DOCS_PAGE } from "./docs-page.ts";

const getDocsPage = createRoute({
  method: "get",
  path: "/docs",
  tags: ["system"],
  summary: "API reference UI (served from the binary, no CDN)",
  responses: { 200: { description: "HTML page", content: { "text/html": { schema: z.string() } } } },
});

export function registerGetDocs(api: Api): void {
  api.openapi(getDocsPage, (c) => c.html(DOCS_PAGE, 200));
}
