import { readFileSync } from "node:fs";

/** A process identified by its pid and its start time (so a recycled pid is not mistaken for it). */
export interface WatchedProcess {
  pid: number;
  startTime: string;
}

interface ProcessStat {
  state: string;
  ppid: number;
  startTime: string;
}

/** Fields of /proc/PID/stat; null when the process does not exist (or this is not Linux). */
function readStat(pid: number): ProcessStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0]!, ppid: Number(fields[1]), startTime: fields[19]! };
}

function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return null;
  }
}

/** The process's name (`bash`, `Runner.Worker`), for messages. */
export function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

export function watch(pid: number): WatchedProcess | null {
  const stat = readStat(pid);
  return stat && isRunning(stat) ? { pid, startTime: stat.startTime } : null;
}

/** True while the process lives: not gone, not a zombie, and not replaced by another with its pid. */
export function isAlive(process: WatchedProcess): boolean {
  const stat = readStat(process.pid);
  return stat !== null && isRunning(stat) && stat.startTime === process.startTime;
}

function isRunning(stat: ProcessStat): boolean {
  return stat.state !== "Z" && stat.state !== "X";
}

/**
 * The process whose life is the CI job's, seen from a labbroker started by that job's shell
 * (`parentPid`, or above it the launchers of `npx labbroker`): the shell itself — above any subshells a command substitution forked, which have
 * the shell's command line — or, where every step runs in a shell of its own (GitHub Actions), that
 * shell's parent, the runner's worker for the whole job. Null when it cannot be seen (no /proc, or
 * a parent outside this process's pid namespace).
 */
export function findJobProcess(parentPid: number, perStepShells: boolean): WatchedProcess | null {
  let pid = parentPid;
  for (let stat = readStat(pid); stat && stat.ppid > 1 && isLauncher(commandLine(pid)); stat = readStat(pid)) pid = stat.ppid;
  for (let stat = readStat(pid); stat && stat.ppid > 1 && commandLine(stat.ppid) === commandLine(pid); stat = readStat(pid)) {
    pid = stat.ppid;
  }
  if (perStepShells) pid = readStat(pid)?.ppid ?? 0;
  return pid > 1 ? watch(pid) : null;
}

/**
 * What `npx labbroker …` (or an npm script) runs between the job's shell and labbroker, and exits
 * with it: npm's own process (titled `npm exec …`, `npm run …`) and the `sh -c 'labbroker …'` it
 * starts (npm quotes the command: `sh -c 'labbroker' session …`). Watching them would end the session as
 * soon as the command returned.
 */
export function isLauncher(cmdline: string | null): boolean {
  const argv = (cmdline ?? "").split("\0").filter(Boolean);
  // A retitled npm process: one string, whose arguments may hold paths.
  if (/^(npm|npx) /.test(argv[0] ?? "")) return true;
  const program = argv[0]?.split("/").pop() ?? "";
  if (program === "npm" || program === "npx") return true;
  if (program === "node" && /(npx|npm)-cli\.js$/.test(argv[1] ?? "")) return true;
  return (program === "sh" || program === "bash" || program === "dash") && argv[1] === "-c" &&
    /^(labbroker|'labbroker')(\s|$)/.test(argv[2] ?? "");
}
