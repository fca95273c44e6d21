import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let built: Promise<string> | undefined;

/** Compiles labbroker once per test run and returns the binary's path (in the run's temporary folder, removed after the run). */
export function compiledBinary(): Promise<string> {
  built ??= (async () => {
    const folder = mkdtempSync(join(tmpdir(), "labbroker-binary-"));
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
