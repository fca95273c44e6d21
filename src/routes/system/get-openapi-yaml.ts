import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import type { ServedOpenApiDocument } from "./openapi-document.ts";

const getOpenApiYaml = createRoute({
  method: "get",
  path: "/openapi.yaml",
  tags: ["system"],
  summary: "This API's OpenAPI 3.1 document as YAML",
  responses: { 200: { description: "OpenAPI document", content: { "application/yaml": { schema: z.string() } } } },
});

export function registerGetOpenApiYaml(api: Api, document: ServedOpenApiDocument): void {
  api.openapi(getOpenApiYaml, (c) => c.body(document.yaml, 200, { "content-type": "application/yaml" }));
}
