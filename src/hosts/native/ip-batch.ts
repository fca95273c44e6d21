import { lastLines, runChecked, runCommand, type RunResult } from "../command-runner.ts";

/**
 * Many `ip` operations in one process (`ip -batch -`): deploying a 10-node lab is a handful of
 * processes instead of hundreds. `ip -batch` stops at the first failing line and names it
 * (`Command failed -:12`); the error repeats that line so the cause is readable.
 */

export interface IpBatchOptions {
  /** Run every line inside this namespace (`ip -n NS -batch -`); the host namespace otherwise. */
  namespace?: string;
  /** Every line for IPv6 (`ip -6`): a batch line cannot choose its family. */
  ipv6?: boolean;
  /** Keep going after a failing line and never throw for one (teardown of half-built labs). */
  force?: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** One batch line from words; a word holding spaces (a sysctl value) is quoted the way `ip` reads quotes. */
export function batchLine(...words: string[]): string {
  return words.map((word) => (/\s/.test(word) ? `"${word}"` : word)).join(" ");
}

export class IpBatchError extends Error {
  override name = "IpBatchError";
  constructor(
    readonly result: RunResult,
    readonly failedLine: string | null,
  ) {
    const where = failedLine ? ` at "${failedLine}"` : "";
    const reason = result.timedOut ? `timed out after ${result.durationMs} ms` : result.aborted ? "was aborted" : `failed${where}`;
    const details = lastLines(result.stderr.replace(/^Command failed -:\d+\n?/m, "").trim(), 4);
    super(`${result.argv.slice(0, -2).join(" ")} -batch ${reason}${details ? `: ${details}` : ""}`);
  }
}

export async function runIpBatch(lines: readonly string[], options: IpBatchOptions): Promise<RunResult | null> {
  if (lines.length === 0) return null;
  const argv = [
    "ip",
    ...(options.ipv6 ? ["-6"] : []),
    ...(options.namespace ? ["-n", options.namespace] : []),
    ...(options.force ? ["-force"] : []),
    "-batch",
    "-",
  ];
  const result = await runCommand(argv, { timeoutMs: options.timeoutMs, signal: options.signal, stdinText: `${lines.join("\n")}\n` });
  const interrupted = result.timedOut || result.aborted;
  if (interrupted || (result.code !== 0 && !options.force)) {
    const lineNumber = /Command failed -:(\d+)/.exec(result.stderr)?.[1];
    throw new IpBatchError(result, lineNumber ? (lines[Number(lineNumber) - 1] ?? null) : null);
  }
  return result;
}

/** `ip -j …` output parsed; an empty answer is an empty list. */
export async function readIpJson<T>(args: readonly string[], options: { timeoutMs: number; signal?: AbortSignal }): Promise<T[]> {
  const result = await runChecked(["ip", "-j", ...args], { timeoutMs: options.timeoutMs, signal: options.signal });
  const text = result.stdout.trim();
  return text ? (JSON.parse(text) as T[]) : [];
}
