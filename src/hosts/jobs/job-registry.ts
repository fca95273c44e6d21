import { HostRequestError } from "../host-errors.ts";
import type { OutputListener } from "./job-output.ts";
import type { JobResult } from "./job-result.ts";
import { type JobRequest, type JobSpec, parseJobSpec } from "./job-spec.ts";
import { type Job, type JobStatus, type KillOutcome, startJob, type StartJobOptions } from "./start-job.ts";

/** How long a health check waits for a session's jobs to die of the kill the broker sent. */
const SETTLE_BOUND_MS = 10_000;

/**
 * The jobs of one host by id, so the agent can retry a start safely ("start X" twice runs X once)
 * and answer "is X running, has it finished, with what result?" after a reconnect. Finished jobs
 * stay until the agent forgets them, once the broker has their result.
 */
export class JobRegistry {
  #jobs = new Map<string, Job>();

  constructor(private readonly options: Pick<StartJobOptions, "clock"> = {}) {}

  /**
   * Starts the job unless one with its id was started before; then returns that one. The same id
   * with a different request is a conflict: it cannot be a retry.
   */
  ensureStarted(request: JobRequest, onOutput?: OutputListener): { job: Job; started: boolean } {
    const spec = parseJobSpec(request);
    const existing = this.#jobs.get(spec.id);
    if (existing) {
      if (JSON.stringify(existing.spec) !== JSON.stringify(spec)) {
        throw new HostRequestError("conflict", `Job "${spec.id}" was already started with a different request`);
      }
      return { job: existing, started: false };
    }
    const job = startJob(spec, { ...this.options, onOutput });
    this.#jobs.set(spec.id, job);
    return { job, started: true };
  }

  get(id: string): Job {
    const job = this.#jobs.get(id);
    if (!job) throw new HostRequestError("not-found", `Cannot find job "${id}" on this host`);
    return job;
  }

  has(id: string): boolean {
    return this.#jobs.has(id);
  }

  status(id: string): JobStatus {
    return this.get(id).status();
  }

  list(): JobStatus[] {
    return [...this.#jobs.values()].map((job) => job.status());
  }

  kill(id: string, signal?: string): KillOutcome {
    return this.get(id).kill(signal);
  }

  /** Drops a finished job (its result has been delivered); a running job cannot be forgotten. */
  forget(id: string): void {
    const job = this.get(id);
    if (job.state === "running") throw new HostRequestError("conflict", `Job "${id}" is still running; kill it before forgetting it`);
    this.#jobs.delete(id);
  }

  /** Resolves once every running job `match` picks has finished, or after `boundMs`. */
  async settledWhere(match: (spec: JobSpec) => boolean, boundMs = SETTLE_BOUND_MS): Promise<void> {
    const running = [...this.#jobs.values()].filter((job) => job.state === "running" && match(job.spec));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(running.map((job) => job.done)), new Promise((resolve) => (timer = setTimeout(resolve, boundMs)))]);
    clearTimeout(timer);
  }

  /** Kills every running job (agent shutdown) and resolves with their results. */
  async killAll(signal = "SIGKILL"): Promise<JobResult[]> {
    const running = [...this.#jobs.values()].filter((job) => job.state === "running");
    for (const job of running) job.kill(signal);
    return Promise.all(running.map((job) => job.done));
  }
}
