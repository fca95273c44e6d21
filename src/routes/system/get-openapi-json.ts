import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { JsonObjectSchema, JsonValueSchema } from "../json-value.ts";
import type { ServedOpenApiDocument } from "./openapi-document.ts";

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

export function registerGetOpenApiJson(api: Api, document: ServedOpenApiDocument): void {
  api.openapi(getOpenApiJson, (c) => c.json(document.json, 200));
}
