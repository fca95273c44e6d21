import { accessSync, constants, statSync } from "node:fs";
import { join } from "node:path";
import { $ } from "dax";
import { LiveDecoder, StreamCapture, type KeepPart } from "./output-capture.ts";
import { PidLineFilter, sessionArgv, signalGroup, signalThatEnded } from "./process-session.ts";

export type OutputStream = "stdout" | "stderr";

/** setTimeout's largest delay; a larger one would fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface RunOptions {
  /**
   * Hard bound: the command and everything in its process group are killed with SIGKILL.
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
}

export interface RunResult {
  argv: string[];
  /** Exit status as a shell shows it: 128+n when the command died of signal n. */
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
  durationMs: number;
}

/** A started command: its pid once known, a kill for its whole process group, and its result. */
export interface RunningCommand {
  readonly argv: readonly string[];
  readonly pid: number | undefined;
  readonly finished: boolean;
  /** Signals the whole process group; false (nothing sent) once the command has finished. */
  kill(signal?: NodeJS.Signals): boolean;
  readonly result: Promise<RunResult>;
}

/** A command that exited non-zero, timed out or was aborted; the message ends with its last error lines. */
export class CommandFailedError extends Error {
  override name = "CommandFailedError";
  constructor(readonly result: RunResult) {
    const reason = result.timedOut ? `timed out after ${result.durationMs} ms` : result.aborted ? "was aborted" : `exited with code ${result.code}`;
    const tail = lastLines(result.stderr.trim() || result.stdout.trim(), 8);
    super(`${result.argv.join(" ")} ${reason}${tail ? `:\n${tail}` : ""}`);
  }
}

/**
 * Starts one command through dax with its arguments escaped one by one (never a concatenated
 * string), a bound, stdin closed, output streamed as it arrives, as the leader of its own process
 * group (see process-session.ts). The result never rejects for the exit code: callers decide.
 */
export function startCommand(argv: readonly string[], options: RunOptions): RunningCommand {
  if (argv.length === 0 || !argv[0]) throw new RangeError("A command needs at least a program name");
  if (!(options.timeoutMs > 0 && (options.timeoutMs === Infinity || options.timeoutMs <= MAX_TIMEOUT_MS))) {
    throw new RangeError(`timeoutMs must be between 1 and ${MAX_TIMEOUT_MS} (or Infinity), not ${options.timeoutMs}`);
  }
  // Absolute paths: dax would otherwise run its own built-ins for names such as cat, sleep or echo.
  const command = [resolveExecutable(argv[0]!, options.env?.PATH), ...argv.slice(1)];
  const inNamespace = options.netns ? [requiredTool("ip", "iproute2"), "netns", "exec", options.netns, ...command] : command;
  let builder = $`${sessionArgv(requiredTool("sh", "a POSIX shell"), requiredTool("setsid", "util-linux"), inNamespace)}`.noThrow().stdout("piped").stderr("piped");
  builder = options.stdinText !== undefined ? builder.stdinText(options.stdinText) : builder.stdin("null");
  if (options.cwd) builder = builder.cwd(options.cwd);
  if (options.clearEnv) builder = builder.clearEnv();
  if (options.env) builder = builder.env(options.env);

  const started = performance.now();
  const signalsSent: NodeJS.Signals[] = [];
  const pendingSignals: NodeJS.Signals[] = [];
  let pid: number | undefined;
  let finished = false;
  let timedOut = false;
  let aborted = false;

  const kill = (signal: NodeJS.Signals = "SIGKILL"): boolean => {
    if (finished) return false;
    if (pid === undefined) pendingSignals.push(signal);
    else if (!signalGroup(pid, signal)) return false;
    signalsSent.push(signal);
    return true;
  };
  const onPid = (startedPid: number) => {
    pid = startedPid;
    for (const signal of pendingSignals.splice(0)) signalGroup(startedPid, signal);
  };
  const timer = options.timeoutMs === Infinity ? undefined : setTimeout(() => {
    timedOut = true;
    kill("SIGKILL");
  }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    kill("SIGKILL");
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const limit = options.maxCaptureBytes ?? 4 * 1024 * 1024;
  const capture = { stdout: new StreamCapture(limit, options.keepOutput ?? "tail"), stderr: new StreamCapture(limit, options.keepOutput ?? "tail") };
  const decoderFor = (stream: OutputStream) =>
    new LiveDecoder(options.onChunk && ((text) => options.onChunk!(stream, text)), options.onLine && ((line) => options.onLine!(stream, line)));

  const result = (async (): Promise<RunResult> => {
    try {
      const child = builder.spawn();
      const pidFilter = new PidLineFilter(onPid);
      const [status] = await Promise.all([
        child,
        pump(child.stdout(), capture.stdout, decoderFor("stdout")),
        pump(child.stderr(), capture.stderr, decoderFor("stderr"), pidFilter),
      ]);
      return {
        argv: [...argv],
        code: status.code,
        signal: signalThatEnded(status.code, signalsSent),
        pid: pid ?? null,
        stdout: capture.stdout.text,
        stderr: capture.stderr.text,
        timedOut,
        aborted,
        truncated: { stdout: capture.stdout.cutBytes, stderr: capture.stderr.cutBytes },
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      finished = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
  })();
  return {
    argv,
    get pid() {
      return pid;
    },
    get finished() {
      return finished;
    },
    kill,
    result,
  };
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

async function pump(stream: AsyncIterable<Uint8Array>, capture: StreamCapture, decoder: LiveDecoder, pidFilter?: PidLineFilter): Promise<void> {
  const take = (bytes: Uint8Array) => {
    if (bytes.length > 0) decoder.push(capture.accept(bytes));
  };
  for await (const bytes of stream) take(pidFilter ? pidFilter.feed(bytes) : bytes);
  if (pidFilter) take(pidFilter.end());
  decoder.end();
}
