import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CI_RUN = join(import.meta.dir, "../.ci/run");
const folder = mkdtempSync(join(tmpdir(), "labbroker-ci-run-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe(".ci/run", () => {
  test("stops at the first failing step with its exit code, and removes the folders it made", () => {
    const fakeBin = join(folder, "bin");
    const childTemp = join(folder, "tmp");
    for (const path of [fakeBin, childTemp]) mkdirSync(path);
    // An npm whose install fails and whose every other command "passes": nothing after the install may run.
    writeFileSync(
      join(fakeBin, "npm"),
      '#!/bin/sh\nif [ "$1" = install ]; then echo "npm $1 failed (fake)" >&2; exit 7; fi\necho "fake npm $*"\n',
    );
    chmodSync(join(fakeBin, "npm"), 0o755);
    const run = Bun.spawnSync(["bash", CI_RUN], {
      env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}`, TMPDIR: childTemp },
      stdout: "pipe",
      stderr: "pipe",
    });
    const steps = [...run.stdout.toString().matchAll(/^=== (.*)$/gm)].map((match) => match[1]);
    expect(run.exitCode).toBe(7);
    expect(steps.at(-1)).toBe("README: npm install");
    expect(run.stderr.toString()).toContain("npm install failed (fake)");
    expect(readdirSync(childTemp)).toEqual([]);
  }, 60_000);
});
