import { statSync } from "node:fs";
import { constants } from "node:os";
import { type Clock, systemClock } from "../../clock.ts";
import { type RunningCommand, startCommand } from "../command-runner.ts";
import { HostRequestError } from "../host-errors.ts";
import { requireNamespace } from "../network-namespace.ts";
import { JobOutputLog, type OutputChunk, type OutputListener, unkilledMarker } from "./job-output.ts";
import { type JobResult, jobResultFromError, jobResultFromRun, markerFor } from "./job-result.ts";
import { jobArgv, type JobRequest, type JobSpec, parseJobSpec } from "./job-spec.ts";

export interface RunningJobStatus {
  id: string;
  state: "running";
  background: boolean;
  description: string | null;
  /** The job's process (and process group) id, once it has started. */
  pid: number | null;
  startedAt: string;
  /** The last output chunk so far (0 for none). */
  lastSeq: number;
}

export type JobStatus = RunningJobStatus | JobResult;

export interface KillOutcome {
  delivered: boolean;
  message: string;
}

/** A started job: its live state, its output so far, a kill for everything it started, and its result. */
export interface Job {
  readonly spec: JobSpec;
  readonly state: "running" | "finished";
  /** Resolves when the job has finished and its output is complete; never rejects. */
  readonly done: Promise<JobResult>;
  status(): JobStatus;
  /** Output chunks after `seq`, for a client that resumes (0 for all). */
  outputSince(seq: number): OutputChunk[];
  /** Signals every process of the job (default SIGKILL); does nothing for a finished job and says so. */
  kill(signal?: string): KillOutcome;
}

export interface StartJobOptions {
  /** Receives every output chunk as it happens; one that throws is detached (see `listenerError`). */
  onOutput?: OutputListener;
  clock?: Clock;
}

/**
 * Starts a job now and returns its handle at once, whether it is foreground or background (the
 * caller waits on `done` for a foreground job). Throws HostRequestError, before starting anything,
 * for an invalid request, a missing namespace or a missing working folder.
 */
export function startJob(request: JobRequest, options: StartJobOptions = {}): Job {
  const spec = parseJobSpec(request);
  if (spec.netns !== undefined) requireNamespace(spec.netns);
  if (spec.cwd !== undefined) requireFolder(spec.cwd);
  const clock = options.clock ?? systemClock;
  const startedAt = new Date(clock.now()).toISOString();
  const log = new JobOutputLog(options.onOutput);
  let command: RunningCommand | undefined;
  let result: JobResult | undefined;

  const run = async (): Promise<JobResult> => {
    try {
      command = startCommand(jobArgv(spec), {
        timeoutMs: spec.timeoutMs ?? Infinity,
        cwd: spec.cwd,
        env: spec.env,
        netns: spec.netns,
        maxCaptureBytes: spec.maxOutputBytes,
        keepOutput: "head",
        onChunk: (stream, text) => log.append(stream, text),
      });
      const outcome = await command.result;
      for (const stream of ["stdout", "stderr"] as const) {
        const marker = markerFor(stream, outcome.truncated[stream], spec.maxOutputBytes);
        if (marker) log.append(stream, marker);
      }
      if (outcome.unkilled.length > 0) log.append("stderr", unkilledMarker(outcome.unkilled));
      return jobResultFromRun(spec, outcome, { startedAt, finishedAt: new Date(clock.now()).toISOString() }, log.listenerError);
    } catch (error) {
      return jobResultFromError(spec, error, { startedAt, finishedAt: new Date(clock.now()).toISOString() }, log.listenerError);
    }
  };
  const done = run().then((finished) => (result = finished));

  return {
    spec,
    get state() {
      return result ? "finished" : "running";
    },
    done,
    status: () =>
      result ?? {
        id: spec.id,
        state: "running",
        background: spec.background,
        description: spec.description ?? null,
        pid: command?.pid ?? null,
        startedAt,
        lastSeq: log.lastSeq,
      },
    outputSince: (seq) => log.since(seq),
    kill(signal = "SIGKILL") {
      if (!Object.hasOwn(constants.signals, signal)) {
        throw new HostRequestError("invalid", `Unknown signal "${signal}": use a name such as SIGTERM, SIGINT or SIGKILL`);
      }
      if (result || !command || command.finished) {
        return { delivered: false, message: `Job "${spec.id}" has already finished; nothing was signalled` };
      }
      if (!command.kill(signal as NodeJS.Signals)) {
        return { delivered: false, message: `Job "${spec.id}" has no processes left to signal; it is finishing` };
      }
      return { delivered: true, message: `Sent ${signal} to every process of job "${spec.id}" (process group ${command.pid})` };
    },
  };
}

function requireFolder(path: string): void {
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    // missing or unreadable: reported below
  }
  if (!isFolder) throw new HostRequestError("not-found", `Cannot use "${path}" as the working folder: no such folder`);
}
