import { type ChildProcess, spawn } from "node:child_process";
import { constants } from "node:os";
import { type Containment, sendSignal } from "./process-containment.ts";

/**
 * Every command runs as the leader of a session of its own (`detached`: setsid), inside its
 * containment (process-containment.ts), under a tiny `sh` that joins the run's cgroup and then
 * execs the command in place:
 *
 *   sh -c JOIN labbroker CGROUP_PROCS_FILE|"" COMMAND…
 *
 * Joining before exec means nothing the command starts is ever outside the cgroup. A missing
 * program exits 127, as in a shell. node:child_process rather than dax: dax resolves only once
 * every holder of the output pipes has closed them, and a run must end when its own process exits.
 */
const JOIN = '[ -z "$1" ] || echo "$$" > "$1" || exit 125; shift; exec "$@"';

export interface SpawnOptions {
  cwd?: string;
  env: Record<string, string>;
  withStdin: boolean;
}

export function spawnSessionLeader(
  shell: string,
  containment: Containment,
  command: readonly string[],
  options: SpawnOptions,
): ChildProcess {
  return spawn(shell, ["-c", JOIN, "labbroker", containment.joinFile, ...command], {
    cwd: options.cwd,
    env: { ...options.env, ...containment.env },
    detached: true,
    stdio: [options.withStdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
}

/** How long a kill through the tool prefix (`sudo -n kill …`) may take. */
const PREFIXED_KILL_TIMEOUT_MS = 10_000;

/**
 * Signals every process of a run: `cgroup.kill` for SIGKILL in a cgroup, otherwise each member.
 * Processes this user may not signal (root-owned children under `sudo`) are signalled through
 * `killPrefix` (the prefix that started them). Returns how many processes there were; never throws,
 * as it runs inside timers.
 */
export function signalRun(containment: Containment, leader: number, signal: NodeJS.Signals, killPrefix: readonly string[]): number {
  try {
    const members = containment.members(leader);
    if (signal === "SIGKILL" && containment.killCgroup) {
      containment.killCgroup(leader);
      return members.length;
    }
    const refused = members.filter((pid) => !sendSignal(pid, signal));
    if (refused.length > 0 && killPrefix.length > 0) signalThroughPrefix(killPrefix, refused, signal);
    return members.length;
  } catch {
    return 0; // the cgroup is gone: the run has ended
  }
}

function signalThroughPrefix(prefix: readonly string[], pids: readonly number[], signal: NodeJS.Signals): void {
  const [program, ...args] = prefix;
  const killer = spawn(program!, [...args, "kill", "-s", signal.slice(3), "--", ...pids.map(String)], { stdio: "ignore" });
  killer.on("error", () => {}); // reported as unkilled processes when the run ends
  const bound = setTimeout(() => killer.kill("SIGKILL"), PREFIXED_KILL_TIMEOUT_MS);
  killer.on("exit", () => clearTimeout(bound));
}

/** Exit status as a shell shows it: 128+n for a death by signal n. */
export function shellStatus(code: number | null, signal: NodeJS.Signals | null): number {
  return signal ? 128 + constants.signals[signal] : (code ?? 0);
}
