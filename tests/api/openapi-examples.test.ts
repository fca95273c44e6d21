import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
beforeEach(async () => {
  broker = await createTestApp();
});
afterEach(async () => {
  await broker.close();
});

interface Operation {
  requestBody?: { content: Record<string, { schema: { $ref?: string; example?: unknown }; example?: unknown }> };
  responses: Record<string, unknown>;
}

/** The request examples of the document, as Swagger UI's "Try it out" pre-fills them (media type first, then the body's schema). */
function documentedExamples(document: {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { example?: unknown }> };
}) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, operation]) => {
      const media = operation.requestBody?.content["application/json"];
      if (!media) return [];
      const schema = media.schema.$ref ? document.components.schemas[media.schema.$ref.replace("#/components/schemas/", "")] : media.schema;
      const example = media.example ?? schema?.example;
      if (example === undefined) return [];
      const statuses = Object.keys(operation.responses).filter((status) => status.startsWith("2")).map(Number);
      return [{ method: method.toUpperCase(), path, example, statuses }];
    })
  );
}

describe("the request examples of /docs", () => {
  test("each documented example, sent as it is, gets one of its route's documented 2xx answers", async () => {
    await registerHost(broker, `examples-${crypto.randomUUID().slice(0, 8)}`);
    const document = (await call(broker, "GET", "/openapi.json")).json;
    const examples = documentedExamples(document);
    expect(examples.map(({ method, path }) => `${method} ${path}`)).toEqual(expect.arrayContaining([
      "POST /v1/sessions",
      "PATCH /v1/sessions/{id}",
      "POST /v1/sessions/{id}/results",
      "POST /v1/tokens",
    ]));

    // The session the path-bound examples act in comes from the session example itself, so it is sent first.
    const ordered = [...examples].sort((a, b) => Number(b.path === "/v1/sessions") - Number(a.path === "/v1/sessions"));
    let sessionId: string | undefined;
    for (const { method, path, example, statuses } of ordered) {
      expect({ path, needsSession: path.includes("{id}") && !sessionId }).toEqual({ path, needsSession: false });
      const url = path.replace("{id}", sessionId ?? "");
      const response = await call(broker, method, url, { body: example });
      const route = `${method} ${path}`;
      expect({ route, documented: statuses.includes(response.status), body: response.json }).toEqual({
        route,
        documented: true,
        body: expect.anything(),
      });
      if (path === "/v1/sessions") {
        expect(response.json.state).toBe("active");
        sessionId = response.json.id;
      }
    }
  });
});
