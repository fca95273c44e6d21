import { eq } from "drizzle-orm";
import { jobs } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { JobRecord } from "./job.ts";

/** An unfinished job from memory, a finished one from the database. */
export async function findJob(ctx: EngineContext, jobId: string): Promise<JobRecord> {
  const open = ctx.state.jobs.get(jobId);
  if (open) return open;
  const [row] = await ctx.orm.select().from(jobs).where(eq(jobs.id, jobId)).limit(1);
  if (!row) throw new NotFoundError(`Cannot find job "${jobId}"`);
  return ctx.state.jobs.get(jobId) ?? row;
}
