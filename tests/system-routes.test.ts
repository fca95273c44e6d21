import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { createTestApp, type TestApp } from "./support/test-broker.ts";

let broker: TestApp;
beforeEach(async () => {
  broker = await createTestApp();
});
afterEach(async () => {
  await broker.close();
});

describe("system routes", () => {
  test("GET /healthz answers 204 with a request id", async () => {
    const response = await broker.app.request("/healthz");
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("the OpenAPI document is valid 3.1 and lists every route", async () => {
    const app = broker.app;
    const document = await (await app.request("/openapi.json")).json();
    const validation = await new Validator().validate(document);
    expect(validation.errors ?? []).toEqual([]);
    expect(validation.valid).toBe(true);

    const documented = new Set(
      Object.entries(document.paths as Record<string, object>).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)
      ),
    );
    const served = app.routes
      .filter((route) => route.method !== "ALL")
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThan(3);
    for (const route of served) expect(documented).toContain(route);

    const yaml = await app.request("/openapi.yaml");
    expect(yaml.headers.get("content-type")).toBe("application/yaml");
    expect(await yaml.text()).toContain("openapi: 3.1.0");
  });

  test("/docs is served from the binary with no external URL", async () => {
    const app = broker.app;
    const page = await app.request("/docs");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset).toStartWith("/docs/");
      const response = await app.request(asset);
      expect(response.status).toBe(200);
      expect((await response.text()).length).toBeGreaterThan(100);
    }
  });

  test("an unknown /v1 route answers problem+json", async () => {
    const response = await broker.app.request("/v1/no-such-thing");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toEqual({
      type: "about:blank",
      title: "Not found",
      status: 404,
      detail: "No route for GET /v1/no-such-thing",
      instance: "/v1/no-such-thing",
    });
  });

  test("an unknown root route answers the Remote Lab error shape", async () => {
    const response = await broker.app.request("/no-such-thing");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: "Not Found" });
  });
});

describe("dashboard", () => {
  test("/ serves the console from the binary: every script and style sheet it links is served here, none from elsewhere", async () => {
    const page = await broker.app.request("/");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    const linked = [...html.matchAll(/(?:src|href)="(\/dashboard\/[^"]+)"/g)].map((match) => match[1]!);
    expect(linked).toContain("/dashboard/uPlot.iife.min.js");
    let scripts = "";
    for (const path of linked) {
      const asset = await broker.app.request(path);
      expect({ path, status: asset.status }).toEqual({ path, status: 200 });
      expect(asset.headers.get("content-type")).toStartWith(path.endsWith(".css") ? "text/css" : "text/javascript");
      scripts += await asset.text();
    }
    for (const path of ["/v1/hosts", "/v1/sessions", "/v1/labs", "/v1/events", "/v1/stats/usage"]) expect(scripts).toContain(path);
    expect((await broker.app.request("/dashboard/nothing.js")).status).toBe(422);
  });

  test("a session's CI links are http(s) URLs: a javascript: URL, which the dashboard would show as a link, is refused", async () => {
    for (const field of ["ci_job_url", "ci_pipeline_url"]) {
      const refused = await broker.app.request("/v1/sessions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client: { [field]: "javascript:alert(1)//" } }),
      });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { detail: string }).detail).toContain(`body.client.${field}: must be an http(s) URL`);
    }
    expect(Number((await broker.db.client.execute("SELECT count(*) FROM sessions")).rows[0]?.[0])).toBe(0);
  });
});
