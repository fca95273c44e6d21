import { accessSync, constants, statSync } from "node:fs";
import { join } from "node:path";
import { $, KillController } from "dax";

export type OutputStream = "stdout" | "stderr";

export interface RunOptions {
  /** Hard bound: the command (and what it started in its process group) is killed with SIGKILL. */
  timeoutMs: number;
  cwd?: string;
  /** Added to (or, with `clearEnv`, replacing) the agent's environment; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  clearEnv?: boolean;
  /** Text on stdin; otherwise stdin is closed so nothing can wait on a prompt. */
  stdinText?: string;
  /** Called for every complete line as it is printed. */
  onLine?: (stream: OutputStream, line: string) => void;
  /** Aborting kills the command with SIGKILL. */
  signal?: AbortSignal;
  /** Keep at most this many bytes of each stream (the end is kept); default 4 MiB. */
  maxCaptureBytes?: number;
}

export interface RunResult {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** Bytes dropped from the start of stdout/stderr to respect maxCaptureBytes. */
  truncated: { stdout: number; stderr: number };
  durationMs: number;
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
 * Runs one command through dax with its arguments escaped one by one (never a concatenated
 * string), a bound, stdin closed, and output streamed line by line. Never throws for the exit
 * code: callers decide (see `runChecked`).
 */
export async function runCommand(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const killer = new KillController();
  let timedOut = false;
  let aborted = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killer.kill("SIGKILL");
  }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    killer.kill("SIGKILL");
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  // An absolute path: dax would otherwise run its own built-ins for names such as cat, sleep or echo.
  const executable = resolveExecutable(argv[0]!, options.env?.PATH);
  let builder = $`${[executable, ...argv.slice(1)]}`.noThrow().signal(killer.signal).stdout("piped").stderr("piped");
  builder = options.stdinText !== undefined ? builder.stdinText(options.stdinText) : builder.stdin("null");
  if (options.cwd) builder = builder.cwd(options.cwd);
  if (options.clearEnv) builder = builder.clearEnv();
  if (options.env) builder = builder.env(options.env);

  const limit = options.maxCaptureBytes ?? 4 * 1024 * 1024;
  const stdout = new BoundedText(limit);
  const stderr = new BoundedText(limit);
  try {
    const child = builder.spawn();
    const [result] = await Promise.all([
      child,
      collectLines(child.stdout(), (line) => {
        stdout.append(line);
        options.onLine?.("stdout", line);
      }),
      collectLines(child.stderr(), (line) => {
        stderr.append(line);
        options.onLine?.("stderr", line);
      }),
    ]);
    return {
      argv: [...argv],
      code: result.code,
      stdout: stdout.text,
      stderr: stderr.text,
      timedOut,
      aborted,
      truncated: { stdout: stdout.dropped, stderr: stderr.dropped },
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
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

export function lastLines(text: string, count: number): string {
  return text.split("\n").slice(-count).join("\n");
}

async function collectLines(stream: AsyncIterable<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      onLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
  }
  pending += decoder.decode();
  if (pending) onLine(pending);
}

/** Keeps the last `limit` bytes (approximately, by characters) of what is appended, counting what it drops. */
class BoundedText {
  #lines: string[] = [];
  #size = 0;
  dropped = 0;
  constructor(readonly limit: number) {}

  append(line: string): void {
    this.#lines.push(line);
    this.#size += line.length + 1;
    while (this.#size > this.limit && this.#lines.length > 1) {
      const removed = this.#lines.shift()!;
      this.#size -= removed.length + 1;
      this.dropped += removed.length + 1;
    }
  }

  get text(): string {
    return this.#lines.length ? this.#lines.join("\n") + "\n" : "";
  }
}
