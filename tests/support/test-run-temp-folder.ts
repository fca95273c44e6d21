import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Preloaded by bunfig.toml. One temporary folder per `bun test` run, made the TMPDIR of the run and
 * of every process it starts, so whatever tests, compiled binaries and child processes put in the
 * temporary folder lands here. Removed after the last test, failed or not; `process.on("exit")`
 * handlers do not run under `bun test`.
 */
const runFolder = mkdtempSync(join(tmpdir(), "labbroker-test-run-"));
process.env.TMPDIR = runFolder;

afterAll(() => rmSync(runFolder, { recursive: true, force: true }));
