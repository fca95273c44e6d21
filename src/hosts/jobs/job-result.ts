import type { RunResult } from "../command-runner.ts";
import { truncationMarker, unkilledMarker } from "./job-output.ts";
import type { JobSpec } from "./job-spec.ts";

/** A finished job, as the agent reports it. */
export interface JobResult {
  id: string;
  state: "finished";
  /** Null when the job died of a signal sent by kill or by the timeout (see `signal`), or never ran. */
  exitCode: number | null;
  /** The signal from kill or the timeout that ended the job. A crash (SIGSEGV) reads as exitCode 139, as in a shell. */
  signal: NodeJS.Signals | null;
  /** Exit code 0 (and JSON parsed when asked), or with `expectFailure` a non-zero exit code; never after a timeout. */
  passed: boolean;
  /** Kept output; a marker line at the end says how much was cut. */
  stdout: string;
  stderr: string;
  /** Bytes cut from each stream (beyond `maxOutputBytes`). */
  truncated: { stdout: number; stderr: number };
  /** stdout parsed as JSON when `parseJson` was asked and it parsed; null otherwise. */
  result: unknown;
  /** Why stdout could not be parsed as JSON; null when it was not asked or it parsed. */
  resultError: string | null;
  timedOut: boolean;
  /** Why the job could not run at all (it then has no exit code). */
  error: string | null;
  /** Set when the output listener threw and was detached; the output is still complete here. */
  listenerError: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

export interface JobTimes {
  startedAt: string;
  finishedAt: string;
}

/** Turns what the runner reports into a job result: pass/fail, JSON, and marked truncation. */
export function jobResultFromRun(spec: JobSpec, run: RunResult, times: JobTimes, listenerError: string | null): JobResult {
  const exitCode = run.signal ? null : run.code;
  const json = spec.parseJson ? parseStdout(run.stdout, run.truncated.stdout, spec.maxOutputBytes) : { result: null, resultError: null };
  const succeeded = exitCode === 0 && json.resultError === null;
  const failed = exitCode !== null && exitCode !== 0;
  return {
    id: spec.id,
    state: "finished",
    exitCode,
    signal: run.signal,
    passed: !run.timedOut && (spec.expectFailure ? failed : succeeded),
    stdout: run.stdout + markerFor("stdout", run.truncated.stdout, spec.maxOutputBytes),
    stderr: run.stderr + markerFor("stderr", run.truncated.stderr, spec.maxOutputBytes) +
      (run.unkilled.length > 0 ? unkilledMarker(run.unkilled) : ""),
    truncated: run.truncated,
    ...json,
    timedOut: run.timedOut,
    error: null,
    listenerError,
    ...times,
    durationMs: run.durationMs,
  };
}

/** The result of a job whose process could not be started. */
export function jobResultFromError(spec: JobSpec, error: unknown, times: JobTimes, listenerError: string | null): JobResult {
  return {
    id: spec.id,
    state: "finished",
    exitCode: null,
    signal: null,
    passed: false,
    stdout: "",
    stderr: "",
    truncated: { stdout: 0, stderr: 0 },
    result: null,
    resultError: null,
    timedOut: false,
    error: `Cannot run job "${spec.id}": ${error instanceof Error ? error.message : String(error)}`,
    listenerError,
    ...times,
    durationMs: Date.parse(times.finishedAt) - Date.parse(times.startedAt),
  };
}

/** The marker that ends a cut stream (the head is kept, so exactly `limit` bytes were); "" when nothing was cut. */
export function markerFor(stream: "stdout" | "stderr", cutBytes: number, limit: number): string {
  return cutBytes > 0 ? truncationMarker(stream, limit, cutBytes) : "";
}

function parseStdout(stdout: string, cutBytes: number, limit: number): { result: unknown; resultError: string | null } {
  if (cutBytes > 0) {
    return { result: null, resultError: `stdout is not complete JSON: it was cut after ${limit} bytes (${cutBytes} more bytes)` };
  }
  if (!stdout.trim()) return { result: null, resultError: "stdout is empty, expected JSON" };
  try {
    return { result: JSON.parse(stdout), resultError: null };
  } catch (error) {
    return { result: null, resultError: `stdout is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}
