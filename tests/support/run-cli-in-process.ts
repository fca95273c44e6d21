import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands/index.ts";
import { runCli } from "../../src/cli/run-cli.ts";

const MAIN = join(import.meta.dir, "../../main.ts");

/**
 * Runs the CLI in this process and captures what it prints. Server commands get an aborted signal
 * (they stop at once); client commands that talk to a broker need `{ signal: live }`.
 */
export async function runCliCaptured(argv: string[], env: Record<string, string | undefined> = {}, options: { signal?: AbortSignal } = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    commands: COMMANDS,
    env,
    io: { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) },
    signal: options.signal ?? AbortSignal.abort(),
    self: { command: [process.execPath, MAIN], parentPid: process.ppid },
  });
  return { code, stdout, stderr };
}
