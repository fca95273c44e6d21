import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCliCaptured } from "../support/run-cli-in-process.ts";

const folder = mkdtempSync(join(tmpdir(), "labbroker-warm-flags-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A broker nothing listens on: each refusal below must come before any request. */
const NO_BROKER = ["--broker", "http://127.0.0.1:1"];

describe("warm labs on the command line", () => {
  test("session create --warm-lab with a topology file that is missing or unreadable exits 2 naming the flag and the file", async () => {
    const missing = join(folder, "missing.clab.yml");
    const absent = await runCliCaptured(["session", "create", ...NO_BROKER, "--warm-lab", missing]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toStartWith(
      `labbroker session: invalid --warm-lab "${missing}": Topology file "${missing}" does not exist\n`,
    );

    const unreadable = await runCliCaptured(["session", "create", ...NO_BROKER, "--warm-lab", folder]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toStartWith(`labbroker session: invalid --warm-lab "${folder}": EISDIR`);
  });

  test("a ROLE: prefix names a role of the session's requirements; anything else is part of the file name", async () => {
    const roleFile = await runCliCaptured(["session", "create", ...NO_BROKER, "-r", "edge:site=a", "--warm-lab", "edge:none.yml"]);
    expect(roleFile.stderr).toStartWith(
      'labbroker session: invalid --warm-lab "edge:none.yml": Topology file "none.yml" does not exist\n',
    );
    const plainFile = await runCliCaptured(["session", "create", ...NO_BROKER, "--warm-lab", "edge:none.yml"]);
    expect(plainFile.stderr).toStartWith(
      'labbroker session: invalid --warm-lab "edge:none.yml": Topology file "edge:none.yml" does not exist\n',
    );
  });

  test("the help of lab and session names --keep-warm and --warm-lab", async () => {
    expect((await runCliCaptured(["lab", "--help"])).stdout).toMatch(/--keep-warm +up: once no session holds the lab, reset it/);
    expect((await runCliCaptured(["session", "--help"])).stdout).toMatch(
      /--warm-lab \[ROLE:\]FILE +create: the topology the role's lab will deploy/,
    );
  });
});
