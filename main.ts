#!/usr/bin/env -S bun
import { COMMANDS } from "./src/cli/commands/index.ts";
import { runCli } from "./src/cli/run-cli.ts";
import { selfCommand } from "./src/platform/self-command.ts";
import { shutdownSignal } from "./src/platform/shutdown-signal.ts";

if (import.meta.main) {
  const signal = shutdownSignal(() => process.exit(130));
  const code = await runCli(process.argv.slice(2), {
    commands: COMMANDS,
    env: process.env,
    io: {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      stderrIsTty: process.stderr.isTTY === true,
    },
    signal,
    self: { command: selfCommand(import.meta.url), parentPid: process.ppid },
  }).catch((error: unknown) => {
    process.stderr.write(`labbroker: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
  process.exit(code);
}
