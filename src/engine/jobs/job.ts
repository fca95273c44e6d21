import type { InferSelectModel } from "drizzle-orm";
import type { hostChanges, jobs } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";

export type JobRecord = InferSelectModel<typeof jobs>;
export type HostChange = InferSelectModel<typeof hostChanges>;
export type JobState = "queued" | "running" | "finished";

/** A job is queued until its agent has it, running until its outcome is in, then finished. */
export function jobState(ctx: EngineContext, job: JobRecord): JobState {
  if (job.outcome) return "finished";
  const work = ctx.state.work.findOpen(job.workId);
  return work?.state === "dispatched" ? "running" : work ? "queued" : "finished";
}
