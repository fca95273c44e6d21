import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson } from "../../src/engine/manifest/canonical-json.ts";
import { manifestJsonSchema } from "../../src/engine/manifest/manifest-json-schema.ts";

test("docs/session-manifest.schema.json is the schema the code builds manifests by (regenerate: bun scripts/write-manifest-schema.ts)", () => {
  const committed = JSON.parse(readFileSync(join(import.meta.dir, "../../docs/session-manifest.schema.json"), "utf8"));
  expect(committed).toEqual(manifestJsonSchema());
});

test("canonical JSON sorts keys at every depth, keeps array order and leaves no whitespace, so equal values hash alike", () => {
  expect(canonicalJson({ b: [3, { z: 1, a: null }], a: "x y", c: undefined })).toBe('{"a":"x y","b":[3,{"a":null,"z":1}]}');
  expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
});
