import type { LabBroker } from "../../client/broker.ts";
import type { CiSystem } from "../../engine/model.ts";
import { startDetached } from "../../platform/self-command.ts";
import { type CommandInput, ExitCode, UsageError } from "../command.ts";
import { findJobProcess, processName, watch } from "./job-process.ts";
import { keepSession } from "./session-keeper.ts";

/** CI systems that run every step in a shell of its own: there the job outlives the step's shell. */
const PER_STEP_SHELLS: ReadonlySet<CiSystem> = new Set(["github-actions"]);

export interface KeeperRequest {
  sessionId: string;
  /** A process to watch instead of the CI job's own. */
  watchPid: number | undefined;
  ciSystem: CiSystem | undefined;
}

/**
 * Starts a detached `labbroker session keepalive --foreground` for the session, watching the CI
 * job's process; says on stderr which process it watches, or why it could not start one.
 */
export function startKeeper(broker: LabBroker, request: KeeperRequest, { io, env, self }: CommandInput): void {
  const watched = request.watchPid !== undefined
    ? watch(request.watchPid)
    : findJobProcess(self.parentPid, request.ciSystem !== undefined && PER_STEP_SHELLS.has(request.ciSystem));
  if (!watched) {
    const what = request.watchPid !== undefined
      ? `process ${request.watchPid} is not running`
      : "the CI job's process cannot be seen from here";
    io.stderr(
      `labbroker: no keeper for session ${request.sessionId}: ${what}; the session lives while commands use it (the broker's --active-timeout)\n`,
    );
    return;
  }
  const args = ["session", "keepalive", request.sessionId, "--broker", broker.url, "--watch", String(watched.pid), "--foreground"];
  // The token goes in the environment, never in argv (where `ps` would show it).
  const pid = startDetached([...self.command, ...args], { ...env, ...(broker.token ? { LABBROKER_TOKEN: broker.token } : {}) });
  io.stderr(
    `labbroker: session ${request.sessionId} is kept alive while process ${watched.pid} (${
      processName(watched.pid)
    }) lives; keeper pid ${pid}\n`,
  );
}

/** `keepalive --foreground`: the keeper itself, until its session ends. */
export async function runKeeper(broker: LabBroker, request: KeeperRequest, { io, signal }: CommandInput): Promise<number> {
  if (request.watchPid === undefined) throw new UsageError("--foreground needs --watch PID");
  const watched = watch(request.watchPid);
  if (!watched) {
    io.stderr(`labbroker session keepalive: process ${request.watchPid} is not running: ending session ${request.sessionId}\n`);
    await broker.endSession(request.sessionId);
    return ExitCode.ok;
  }
  await keepSession(broker, request.sessionId, watched, signal, (line) => io.stderr(`labbroker session keepalive: ${line}\n`));
  return ExitCode.ok;
}
