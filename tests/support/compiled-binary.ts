import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let built: Promise<string> | undefined;

/** Compiles labbroker once per test run (into a temporary folder) and returns the binary's path. */
export function compiledBinary(): Promise<string> {
  built ??= (async () => {
    const folder = mkdtempSync(join(tmpdir(), "labbroker-binary-"));
    process.on("exit", () => rmSync(folder, { recursive: true, force: true }));
    const outfile = join(folder, "labbroker");
    const build = Bun.spawn([process.execPath, join(import.meta.dir, "../../scripts/build.ts"), "--outfile", outfile], {
      stdout: "pipe",
      stderr: "pipe",
    });
    if ((await build.exited) !== 0) throw new Error(`build failed: ${await new Response(build.stderr).text()}`);
    return outfile;
  })();
  return built;
}
