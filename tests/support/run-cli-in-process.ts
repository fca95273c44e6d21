import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands/index.ts";
import { TEST_ADMIN_TOKEN } from "./test-broker.ts";
import { runCli } from "../../src/cli/run-cli.ts";

/** How the CLI run in this process starts itself again (the session keeper). */
export const CLI_SELF = { command: [process.execPath, join(import.meta.dir, "../../main.ts")], parentPid: process.ppid };

/**
 * Runs the CLI in this process and captures what it prints. Server commands get an aborted signal
 * (they stop at once); client commands that talk to a broker need `{ signal: live }`. Client
 * commands use the test admin token unless `env` sets LABBROKER_TOKEN.
 */
export async function runCliCaptured(argv: string[], env: Record<string, string | undefined> = {}, options: { signal?: AbortSignal } = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    commands: COMMANDS,
    env: { LABBROKER_TOKEN: TEST_ADMIN_TOKEN, ...env },
    io: { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) },
    signal: options.signal ?? AbortSignal.abort(),
    self: CLI_SELF,
  });
  return { code, stdout, stderr };
}

/**
 * Creates a session with `labbroker session create --json ARGS…` through `cli`, hands its id to
 * `use`, and ends it afterwards whatever happened.
 */
export async function withCliSession<T>(
  cli: (argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>,
  endSession: (id: string) => Promise<unknown>,
  args: string[],
  use: (id: string) => Promise<T>,
): Promise<T> {
  const created = await cli(["session", "create", "--json", ...args]);
  if (created.code !== 0) throw new Error(`session create exited ${created.code}: ${created.stderr}`);
  const { id } = JSON.parse(created.stdout) as { id: string };
  try {
    return await use(id);
  } finally {
    await endSession(id);
  }
}
