import { accessSync, constants, statSync } from "node:fs";
import { join } from "node:path";
import { type KeepPart, LiveDecoder, StreamCapture } from "./output-capture.ts";
import { type Containment, createContainment } from "./process-containment.ts";
import { shellStatus, signalRun, spawnSessionLeader } from "./process-session.ts";

export type OutputStream = "stdout" | "stderr";

/** setTimeout's largest delay; a larger one would fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface RunOptions {
  /**
   * Hard bound: the command and everything it started are killed with SIGKILL.
   * `Infinity` only for commands someone kills explicitly (background jobs).
   */
  timeoutMs: number;
  cwd?: string;
  /** Added to (or, with `clearEnv`, replacing) the agent's environment; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  clearEnv?: boolean;
  /** Text on stdin; otherwise stdin is closed so nothing can wait on a prompt. */
  stdinText?: string;
  /** Runs the command inside this named network namespace (`ip netns exec NAME`). */
  netns?: string;
  /** Called for every complete line as it is printed. */
  onLine?: (stream: OutputStream, line: string) => void;
  /** Called with the text of every read as it arrives (only what is kept when keeping the head). */
  onChunk?: (stream: OutputStream, text: string) => void;
  /** Aborting kills the command with SIGKILL. */
  signal?: AbortSignal;
  /** Keep at most this many bytes of each stream; default 4 MiB. */
  maxCaptureBytes?: number;
  /** Which part of an over-long stream to keep; default the tail. */
  keepOutput?: KeepPart;
  /**
   * What the command leaves running when it exits: killed (default), or kept (a lab node's `exec`
   * starting a daemon that belongs to the lab). Kept processes are not waited for either.
   */
  leftovers?: "kill" | "keep";
  /** Signals processes this user may not signal through this prefix (`sudo -n` → `sudo -n kill …`): the prefix that started them. */
  killPrefix?: readonly string[];
}

export interface RunResult {
  argv: string[];
  /** Exit status as a shell shows it: 128+n when the command died of signal n; -1 when it could not be killed and never exited. */
  code: number;
  /** The signal this runner sent (kill, timeout, abort) that ended the command, if one did. */
  signal: NodeJS.Signals | null;
  /** The command's pid, which is also its process group id; null if it never started. */
  pid: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** Bytes of stdout/stderr not kept because of maxCaptureBytes. */
  truncated: { stdout: number; stderr: number };
  /** Processes of the run still alive after it was killed (not even the kill prefix could stop them); their output is no longer read. */
  unkilled: number[];
  /** What held the run's processes (see process-containment.ts). */
  containment: "cgroup" | "process-group";
  durationMs: number;
}

/** A started command: its pid, a kill for everything it started, and its result. */
export interface RunningCommand {
  readonly argv: readonly string[];
  /** Its pid and process group id; undefined when it could not be started. */
  readonly pid: number | undefined;
  readonly finished: boolean;
  /** Signals every process of the run; false (nothing sent) once none is left. */
  kill(signal?: NodeJS.Signals): boolean;
  readonly result: Promise<RunResult>;
}

/** A command that exited non-zero, timed out or was aborted; the message ends with its last error lines. */
export class CommandFailedError extends Error {
  override name = "CommandFailedError";
  constructor(readonly result: RunResult) {
    const reason = result.timedOut
      ? `timed out after ${result.durationMs} ms`
      : result.aborted
      ? "was aborted"
      : `exited with code ${result.code}`;
    const unkilled = result.unkilled.length > 0 ? ` (could not kill processes ${result.unkilled.join(", ")})` : "";
    const tail = lastLines(result.stderr.trim() || result.stdout.trim(), 8);
    super(`${result.argv.join(" ")} ${reason}${unkilled}${tail ? `:\n${tail}` : ""}`);
  }
}

/** After its process exited, how long the run waits for the last output before closing the pipes. */
const PIPE_DRAIN_MS = 1_000;
const SETTLE_MS = 1_000;
const SETTLE_POLL_MS = 10;
/** After a SIGKILL from the timeout or an abort, how long the run waits for its process to exit before giving up on it. */
const GIVE_UP_MS = 3_000;

/**
 * Starts one command with its arguments passed one by one (never a concatenated string), a bound,
 * stdin closed, output streamed as it arrives, as the leader of its own session inside its own
 * containment (see process-session.ts). The run ends when its process exits: what it left behind
 * is killed (unless `leftovers: "keep"`), and pipes still held open are closed on our side. The
 * result never rejects for the exit code: callers decide.
 */
export function startCommand(argv: readonly string[], options: RunOptions): RunningCommand {
  if (argv.length === 0 || !argv[0]) throw new RangeError("A command needs at least a program name");
  if (!(options.timeoutMs > 0 && (options.timeoutMs === Infinity || options.timeoutMs <= MAX_TIMEOUT_MS))) {
    throw new RangeError(`timeoutMs must be between 1 and ${MAX_TIMEOUT_MS} (or Infinity), not ${options.timeoutMs}`);
  }
  // Absolute paths, so the command's own PATH decides which program runs.
  const command = [resolveExecutable(argv[0]!, options.env?.PATH), ...argv.slice(1)];
  const inNamespace = options.netns ? [requiredTool("ip", "iproute2"), "netns", "exec", options.netns, ...command] : command;
  const keepLeftovers = options.leftovers === "keep";
  // Leftovers that are kept would keep their cgroup alive: such runs use their process group only.
  const containment = createContainment({ cgroup: !keepLeftovers });
  const child = spawnSessionLeader(requiredTool("sh", "a POSIX shell"), containment, inNamespace, {
    cwd: options.cwd,
    env: environmentFor(options),
    withStdin: options.stdinText !== undefined,
  });
  const pid = child.pid;
  const killPrefix = options.killPrefix ?? [];
  const started = performance.now();
  const signalsSent: NodeJS.Signals[] = [];
  let finished = false;
  let timedOut = false;
  let aborted = false;
  let giveUp: () => void = () => {};
  let giveUpTimer: ReturnType<typeof setTimeout> | undefined;

  const kill = (signal: NodeJS.Signals = "SIGKILL"): boolean => {
    if (finished || pid === undefined) return false;
    if (signalRun(containment, pid, signal, killPrefix) === 0) return false;
    signalsSent.push(signal);
    return true;
  };
  const killForGood = () => {
    kill("SIGKILL");
    giveUpTimer ??= setTimeout(() => giveUp(), GIVE_UP_MS);
  };
  const timer = options.timeoutMs === Infinity ? undefined : setTimeout(() => {
    timedOut = true;
    killForGood();
  }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    killForGood();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const limit = options.maxCaptureBytes ?? 4 * 1024 * 1024;
  const capture = {
    stdout: new StreamCapture(limit, options.keepOutput ?? "tail"),
    stderr: new StreamCapture(limit, options.keepOutput ?? "tail"),
  };
  const pipes = (["stdout", "stderr"] as const).map((stream) => {
    const decoder = new LiveDecoder(
      options.onChunk && ((text) => options.onChunk!(stream, text)),
      options.onLine && ((line) => options.onLine!(stream, line)),
    );
    const pipe = child[stream]!;
    pipe.on("data", (bytes: Uint8Array) => decoder.push(capture[stream].accept(bytes)));
    return { pipe, closed: new Promise<void>((resolve) => pipe.once("close", resolve)), decoder };
  });
  if (child.stdin) {
    child.stdin.on("error", () => {}); // a command that does not read its stdin
    child.stdin.end(options.stdinText);
  }

  const result = (async (): Promise<RunResult> => {
    try {
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | null>((resolve, reject) => {
        child.once("exit", (code, signal) => resolve({ code, signal }));
        child.once("error", (error) => {
          containment.release();
          reject(error);
        });
        giveUp = () => resolve(null);
      });
      if (!keepLeftovers) kill("SIGKILL");
      await Promise.race([Promise.all(pipes.map((pipe) => pipe.closed)), delay(PIPE_DRAIN_MS)]);
      for (const { pipe, decoder } of pipes) {
        pipe.destroy();
        decoder.end();
      }
      const unkilled = keepLeftovers && exit ? [] : await remainingAfterKill(containment, pid!);
      if (unkilled.length === 0) containment.release();
      const code = exit ? shellStatus(exit.code, exit.signal) : -1;
      return {
        argv: [...argv],
        code,
        signal: exit?.signal && signalsSent.includes(exit.signal) ? exit.signal : null,
        pid: pid ?? null,
        stdout: capture.stdout.text,
        stderr: capture.stderr.text,
        timedOut,
        aborted,
        truncated: { stdout: capture.stdout.cutBytes, stderr: capture.stderr.cutBytes },
        unkilled,
        containment: containment.kind,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      finished = true;
      clearTimeout(timer);
      clearTimeout(giveUpTimer);
      options.signal?.removeEventListener("abort", onAbort);
    }
  })();
  return {
    argv,
    pid,
    get finished() {
      return finished;
    },
    kill,
    result,
  };
}

function environmentFor(options: RunOptions): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...(options.clearEnv ? {} : process.env), ...options.env };
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Killed processes leave their cgroup only after they closed their files: give them a moment before calling them unkilled. */
async function remainingAfterKill(containment: Containment, leader: number): Promise<number[]> {
  for (let waited = 0; waited < SETTLE_MS; waited += SETTLE_POLL_MS) {
    if (containment.members(leader).length === 0) return [];
    await delay(SETTLE_POLL_MS);
  }
  return containment.members(leader);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs one command to its end (see `startCommand`). Never throws for the exit code: callers decide (see `runChecked`). */
export function runCommand(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  return startCommand(argv, options).result;
}

/** Like `runCommand`, but a non-zero exit, a timeout or an abort throws CommandFailedError. */
export async function runChecked(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  const result = await runCommand(argv, options);
  if (result.code !== 0 || result.timedOut || result.aborted) throw new CommandFailedError(result);
  return result;
}

/** The first executable `name` on PATH (the command's own PATH when it sets one); `name` itself when none. */
export function resolveExecutable(name: string, path: string | undefined = process.env.PATH): string {
  if (name.includes("/")) return name;
  for (const folder of (path ?? "").split(":")) {
    if (!folder) continue;
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return name;
}

function requiredTool(name: string, packageName: string): string {
  const path = resolveExecutable(name);
  if (!path.includes("/")) throw new Error(`Cannot find "${name}" (${packageName}) on PATH; the command runner needs it`);
  return path;
}

export function lastLines(text: string, count: number): string {
  return text.split("\n").slice(-count).join("\n");
}
