import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Sample outputs of the real netlab and containerlab, kept in the repository (provenance in SOURCES.md there). */
export const FIXTURES = join(import.meta.dir, "../fixtures/reference");

/** A reference fixture's text, by its path under tests/fixtures/reference. */
export const referenceFixture = (path: string): string => readFileSync(join(FIXTURES, path), "utf8");
