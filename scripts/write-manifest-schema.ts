// Writes docs/session-manifest.schema.json from the manifest's zod schema; a test checks the two agree.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { manifestJsonSchema } from "../src/engine/manifest/manifest-json-schema.ts";

const target = join(import.meta.dirname, "../docs/session-manifest.schema.json");
writeFileSync(target, JSON.stringify(manifestJsonSchema(), null, 2) + "\n");
console.log(`wrote ${target}`);
