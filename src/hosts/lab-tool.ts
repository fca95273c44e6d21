import { CommandFailedError, lastLines, runCommand, type RunResult } from "./command-runner.ts";
import type { z } from "zod";
import type { OutputSink } from "./lab-runtime.ts";
import { parseToolJson } from "./tool-json.ts";

/** How the agent calls a lab tool (containerlab, netlab) on this host; parsed once by main.ts. */
export interface LabToolSettings {
  /**
   * The environment the tools run in (main.ts hands over the agent's own). Every `CLAB_*`
   * variable is dropped: containerlab silently turns them into flags (`CLAB_DEPLOY_NODE_FILTER`
   * deploys part of a lab, `CLAB_LABDIR_BASE` moves lab directories).
   */
  environment: Readonly<Record<string, string | undefined>>;
  /** Put before every tool call, e.g. `["sudo", "-n"]` where the agent user may not run the tool itself. */
  commandPrefix?: readonly string[];
  /** Put before `ip netns exec …` node commands, which need root; defaults to `commandPrefix`. */
  rootPrefix?: readonly string[];
  /** The folder holding every lab's work dir: only labs inside it can be reported as ours. */
  labsRoot: string;
  /** Bound for the short read-only calls (inspect, status, version); default 60 s. */
  queryTimeoutMs?: number;
}

export interface ToolCall {
  cwd?: string;
  timeoutMs: number;
  /** Receives every output line as it is printed. */
  output?: OutputSink;
  signal?: AbortSignal;
}

/**
 * A tool call that failed: exited non-zero, timed out, was aborted, or (`problem`) exited 0
 * without doing its job. The message ends with the tool's last error lines.
 */
export class LabToolError extends CommandFailedError {
  override name = "LabToolError";
  constructor(
    readonly action: string,
    result: RunResult,
    problem?: string,
  ) {
    super(result);
    const tail = lastLines(result.stderr.trim() || result.stdout.trim(), 8);
    this.message = problem ? `${action} failed: ${problem}${tail ? `:\n${tail}` : ""}` : `${action} failed: ${this.message}`;
  }
}

const DEFAULT_QUERY_TIMEOUT_MS = 60_000;

/** One lab tool as the runtimes call it: prefixed, in a sanitised environment, bounded, streamed. */
export class LabTool {
  readonly queryTimeoutMs: number;
  readonly rootPrefix: readonly string[];
  readonly #commandPrefix: readonly string[];
  readonly #environment: Record<string, string | undefined>;

  constructor(
    readonly executable: string,
    settings: LabToolSettings,
  ) {
    this.queryTimeoutMs = settings.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.#commandPrefix = settings.commandPrefix ?? [];
    this.rootPrefix = settings.rootPrefix ?? this.#commandPrefix;
    this.#environment = Object.fromEntries(Object.entries(settings.environment).filter(([name]) => !name.startsWith("CLAB_")));
  }

  /** Runs the tool; a non-zero exit, a timeout or an abort throws LabToolError naming `action`. */
  async run(action: string, args: readonly string[], call: ToolCall): Promise<RunResult> {
    const result = await this.runAllowingExitCode(action, args, call);
    if (result.code !== 0) throw new LabToolError(action, result);
    return result;
  }

  /** Runs the tool like `run` and parses its stdout as JSON of the documented shape. */
  async runJson<Schema extends z.ZodType>(
    schema: Schema,
    action: string,
    args: readonly string[],
    call: ToolCall,
  ): Promise<z.infer<Schema>> {
    return parseToolJson(schema, (await this.run(action, args, call)).stdout, action);
  }

  /** For tools whose exit codes need interpreting: only a timeout or an abort throws. */
  async runAllowingExitCode(action: string, args: readonly string[], call: ToolCall): Promise<RunResult> {
    const argv = [...this.#commandPrefix, this.executable, ...args];
    call.output?.({ stream: "info", text: `$ ${argv.join(" ")}` });
    const result = await runCommand(argv, {
      timeoutMs: call.timeoutMs,
      cwd: call.cwd,
      env: this.#environment,
      clearEnv: true,
      signal: call.signal,
      killPrefix: this.#commandPrefix,
      onLine: call.output ? (stream, text) => call.output!({ stream, text }) : undefined,
    });
    if (result.timedOut || result.aborted) throw new LabToolError(action, result);
    return result;
  }
}
