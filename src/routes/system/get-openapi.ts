import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { JsonObjectSchema, JsonValueSchema } from "../json-value.ts";
import { buildOpenApiDocument, openApiYaml } from "./openapi-document.ts";

const OpenApiDocumentSchema = z
  .object({ openapi: z.string(), info: JsonObjectSchema, paths: JsonObjectSchema.optional(), components: JsonObjectSchema.optional() })
  .catchall(JsonValueSchema)
  .openapi("OpenApiDocument");

const getOpenApiJson = createRoute({
  method: "get",
  path: "/openapi.json",
  tags: ["system"],
  summary: "This API's OpenAPI 3.1 document",
  responses: { 200: { description: "OpenAPI document", content: { "application/json": { schema: OpenApiDocumentSchema } } } },
});

const getOpenApiYaml = createRoute({
  method: "get",
  path: "/openapi.yaml",
  tags: ["system"],
  summary: "This API's OpenAPI 3.1 document as YAML",
  responses: { 200: { description: "OpenAPI document", content: { "application/yaml": { schema: z.string() } } } },
});

/** Serves the document, built on first request (all routes exist by then) and kept. */
export function registerOpenApi(api: Api): void {
  let cached: { document: ReturnType<typeof buildOpenApiDocument>; yaml: string } | undefined;
  const documents = () => {
    if (!cached) {
      const document = buildOpenApiDocument(api);
      cached = { document, yaml: openApiYaml(document) };
    }
    return cached;
  };
  api.openapi(getOpenApiJson, (c) => c.json(documents().document, 200));
  api.openapi(getOpenApiYaml, (c) => c.body(documents().yaml, 200, { "content-type": "application/yaml" }));
}
