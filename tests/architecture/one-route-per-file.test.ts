import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEVICE_PLACES } from "../../src/routes/devices/device-schemas.ts";
import { buildOpenApiDocument } from "../../src/routes/system/openapi-document.ts";
import { createTestApp } from "../support/test-broker.ts";

/**
 * One route per file under src/routes (docs/architecture.md): a file defines at most one route
 * (`createRoute`) and registers it at one call site (`api.openapi`). A call site in a loop
 * registers one operation at several places; the files doing that are listed below with how many,
 * and the OpenAPI document must hold exactly the operations these files account for, so a file
 * cannot register more than it shows.
 */

const repo = resolve(import.meta.dir, "../..");

/** Files whose one route is registered once per place, each with the number of places. */
const SEVERAL_PLACES: Record<string, number> = Object.fromEntries(
  ["delete-device", "get-sysctl", "list-devices", "patch-device", "post-device", "put-sysctl"].map((name) => [
    `src/routes/devices/${name}.ts`,
    DEVICE_PLACES.length,
  ]),
);

const CREATE_ROUTE = /\bcreateRoute\(/g;
const REGISTER = /\bapi\.openapi\(/g;
const REGISTER_IN_LOOP = /\bfor \([^)]*\) \{\s*api\.openapi\(/g;
/** Hono's own registrations bypass the document (and the access rules keyed by its operations). */
const PLAIN_REGISTER = /\b(?:api|app)\.(?:get|post|put|patch|delete|all|on|route)\(/g;

const files = readdirSync(join(repo, "src/routes"), { recursive: true, encoding: "utf8" })
  .filter((name) => name.endsWith(".ts"))
  .map((name) => `src/routes/${name}`)
  .sort();
const counts = files.map((file) => {
  const text = readFileSync(join(repo, file), "utf8");
  const count = (pattern: RegExp) => [...text.matchAll(pattern)].length;
  return { file, routes: count(CREATE_ROUTE), registers: count(REGISTER), loops: count(REGISTER_IN_LOOP), plain: count(PLAIN_REGISTER) };
});
const routeFiles = counts.filter(({ routes }) => routes > 0);

describe("one route per file under src/routes", () => {
  test("no file defines or registers more than one route, and a file that defines its route registers it", () => {
    expect(routeFiles.length).toBeGreaterThan(70);
    expect(counts.filter(({ routes, registers }) => routes > 1 || registers > 1 || routes !== registers)).toEqual([]);
  });

  test("routes are registered through api.openapi only, so each is in the document", () => {
    expect(counts.filter(({ plain }) => plain > 0)).toEqual([]);
  });

  test("the files registering their route in a loop are the listed ones", () => {
    expect(counts.filter(({ loops }) => loops > 0).map(({ file }) => file)).toEqual(Object.keys(SEVERAL_PLACES).sort());
  });

  test("the OpenAPI document holds one operation per route file, and one per place for the listed files", async () => {
    const broker = await createTestApp();
    try {
      const document = buildOpenApiDocument(broker.anonymousApp);
      const operations = Object.values(document.paths ?? {}).flatMap((item) =>
        ["get", "put", "post", "delete", "options", "head", "patch", "trace"].filter((method) => method in (item ?? {}))
      );
      expect(operations.length).toBe(routeFiles.reduce((sum, { file }) => sum + (SEVERAL_PLACES[file] ?? 1), 0));
    } finally {
      await broker.close();
    }
  });
});
