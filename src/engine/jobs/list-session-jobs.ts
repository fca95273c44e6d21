import { asc, eq } from "drizzle-orm";
import { jobs } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";
import type { JobRecord } from "./job.ts";

/** A session's jobs by host and number; unfinished ones as memory has them now. */
export async function listSessionJobs(ctx: EngineContext, sessionId: string): Promise<JobRecord[]> {
  const rows = await ctx.orm.select().from(jobs).where(eq(jobs.sessionId, sessionId)).orderBy(asc(jobs.hostId), asc(jobs.number));
  return rows.map((row) => ctx.state.jobs.get(row.id) ?? row);
}

/** Whether a job has finished by now (`job` may be an earlier copy of it). */
export function isJobFinished(ctx: EngineContext, job: JobRecord): boolean {
  return ctx.state.jobs.stateOf(ctx.state.jobs.get(job.id) ?? job) === "finished";
}
