import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { environmentWithoutLabbroker } from "./support/processes.ts";

const ROOT = join(import.meta.dir, "..");

/** `npx labbroker ARGS…` as a user types it in the checkout (package.json `bin`); `--no-install` so npm never asks a registry. */
function npxLabbroker(args: string[], cwd: string) {
  const result = Bun.spawnSync(["npx", "--no-install", "labbroker", ...args], {
    cwd,
    env: environmentWithoutLabbroker(),
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

describe("npx labbroker in the checkout", () => {
  test.each([["the checkout", ROOT], ["a sub-folder of it", join(ROOT, "tests")]])("runs the CLI from %s", (_where, cwd) => {
    const version = npxLabbroker(["version"], cwd);
    expect([version.code, version.stderr]).toEqual([0, ""]);
    expect(version.stdout).toStartWith("labbroker ");
  });

  test("passes labbroker's exit code through", () => {
    expect(npxLabbroker(["no-such-command"], ROOT).code).toBe(2);
  });
});
