import type { EngineContext } from "../context.ts";
import { awaitWork } from "../work/await-work.ts";
import { findJob } from "./find-job.ts";
import type { JobRecord } from "./job.ts";

/** The job once it has finished, or as it is when `timeoutMs` passes (still running is not an error). */
export async function waitForJob(ctx: EngineContext, job: JobRecord, timeoutMs: number, signal?: AbortSignal): Promise<JobRecord> {
  if (job.outcome) return job;
  await awaitWork(ctx, job.workId, timeoutMs, signal);
  return findJob(ctx, job.id);
}
