import { constants } from "node:os";

/**
 * Every command runs as the leader of a session of its own, under a small supervising `sh`:
 *
 *   sh -c SUPERVISOR labbroker-supervisor  setsid  sh -c 'echo $$ >&2; exec "$@"' labbroker  COMMAND…
 *
 * - `setsid` makes the command the leader of a new session and process group, so one signal to
 *   the group reaches everything it started (`sh -c 'sleep 600 & wait'` dies entirely) and nothing
 *   reaches the agent's own group.
 * - The inner `sh` prints its pid (the group id) as the first line of stderr, then execs the
 *   command in place; dax does not expose child pids.
 * - The supervisor reaps the command, so a death by signal reaches us as exit status 128+n: dax
 *   itself reports exit code 0 for a child killed by a signal it did not send. Its own stderr goes
 *   to /dev/null while the command gets the real one (through fd 3, in a subshell so the
 *   redirection is not active while the supervisor waits), so the supervisor's "Killed" notices
 *   never mix with the command's output; the trailing `exit` keeps it from exec-ing in place.
 */
const SUPERVISOR = 'exec 3>&2 2>/dev/null; (exec "$@" 2>&3 3>&-); exit $?';
const SESSION_LEADER = 'echo "$$" >&2; exec "$@"';

export function sessionArgv(shell: string, setsid: string, command: readonly string[]): string[] {
  return [shell, "-c", SUPERVISOR, "labbroker-supervisor", setsid, shell, "-c", SESSION_LEADER, "labbroker", ...command];
}

const MAX_PID_DIGITS = 10;

/**
 * Takes the session's pid line off the start of stderr. If the first line is not a pid (the
 * wrapper itself failed, e.g. no `setsid`), everything passes through as ordinary stderr.
 */
export class PidLineFilter {
  #head: number[] = [];
  #done = false;

  constructor(private readonly onPid: (pid: number) => void) {}

  /** Returns the bytes that belong to the command's stderr. */
  feed(bytes: Uint8Array): Uint8Array {
    if (this.#done) return bytes;
    const newline = bytes.indexOf(10);
    const lineLength = this.#head.length + (newline < 0 ? bytes.length : newline);
    if (lineLength > MAX_PID_DIGITS) {
      this.#done = true;
      return this.#flushWith(bytes);
    }
    if (newline < 0) {
      this.#head.push(...bytes);
      return new Uint8Array(0);
    }
    this.#done = true;
    const line = String.fromCharCode(...this.#head, ...bytes.subarray(0, newline));
    if (!/^[1-9][0-9]*$/.test(line)) return this.#flushWith(bytes);
    this.#head = [];
    this.onPid(Number(line));
    return bytes.subarray(newline + 1);
  }

  /** What is still held back when the stream ends (a short stderr that was no pid line). */
  end(): Uint8Array {
    this.#done = true;
    return this.#flushWith(new Uint8Array(0));
  }

  #flushWith(bytes: Uint8Array): Uint8Array {
    const all = Uint8Array.from([...this.#head, ...bytes]);
    this.#head = [];
    return all;
  }
}

/**
 * The signal that ended the command, read from the supervisor's status: 128+n means "died of
 * signal n" only when we sent signal n. Otherwise the status stays an exit code, as a shell would
 * show it (a crash with SIGSEGV reads 139).
 */
export function signalThatEnded(status: number, signalsSent: readonly NodeJS.Signals[]): NodeJS.Signals | null {
  return signalsSent.find((signal) => status === 128 + constants.signals[signal]) ?? null;
}

/** Sends `signal` to a whole process group; false when the group no longer exists. */
export function signalGroup(groupId: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-groupId, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}
