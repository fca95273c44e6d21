import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

interface DenoGlobal {
  execPath(): string;
}

/**
 * The command line that runs this program again, for `mainUrl` (main.ts's `import.meta.url`):
 * the compiled binary alone (its sources live in Bun's embedded file system), or the runtime with
 * main.ts (and, under Deno, the permissions and configuration `deno task` gives it).
 */
export function selfCommand(mainUrl: string): string[] {
  const main = mainUrl.startsWith("file:") ? fileURLToPath(mainUrl) : mainUrl;
  if (main.startsWith("/$bunfs/")) return [process.execPath];
  const deno = (globalThis as { Deno?: DenoGlobal }).Deno;
  if (deno) return [deno.execPath(), "run", "--allow-all", "--config", join(dirname(main), "deno.json"), main];
  return [process.execPath, main];
}

/**
 * Starts `command` detached: a session of its own (so a job's terminal or process-group signals do
 * not reach it), stdio closed (so `$(…)` around its starter does not wait for it). Returns its pid.
 */
export function startDetached(command: string[], env: Record<string, string | undefined>): number {
  const child = spawn(command[0]!, command.slice(1), { detached: true, stdio: "ignore", env: env as NodeJS.ProcessEnv });
  child.unref();
  // A failed start is reported through the pid check; without a listener the error event would crash this process.
  child.on("error", () => {});
  if (child.pid === undefined) throw new Error(`could not start ${command[0]}`);
  return child.pid;
}
