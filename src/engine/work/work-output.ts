import { and, asc, eq, gt, inArray, type InferSelectModel, type SQL } from "drizzle-orm";
import { workItems, workOutput } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";

export type WorkOutputLine = InferSelectModel<typeof workOutput>;

/** Output of every work item of this lab, or of this job. */
export type OutputScope = { labId: string } | { jobId: string };

/** Stored output lines of `scope` after line `afterId`, oldest first, at most `limit`. */
export function readWorkOutput(ctx: EngineContext, scope: OutputScope, afterId: number, limit: number): Promise<WorkOutputLine[]> {
  // A lab's log is its deploy and destroy output; jobs run in its nodes have their own streams.
  const ownerFilter = (
    "labId" in scope
      ? and(eq(workItems.labId, scope.labId), inArray(workItems.kind, ["deploy-lab", "destroy-lab"]))
      : eq(workItems.jobId, scope.jobId)
  ) as SQL;
  const owned = ctx.orm.select({ id: workItems.id }).from(workItems).where(ownerFilter);
  return ctx.orm
    .select()
    .from(workOutput)
    .where(and(gt(workOutput.id, afterId), inArray(workOutput.workId, owned)))
    .orderBy(asc(workOutput.id))
    .limit(limit);
}

/** Resolves on new output of `scope`, when `signal` aborts, or when `timeout` resolves. */
export function waitForWorkOutput(ctx: EngineContext, scope: OutputScope, timeout: Promise<void>, signal: AbortSignal): Promise<void> {
  return ctx.state.work.waitForOutput("labId" in scope ? `lab:${scope.labId}` : `job:${scope.jobId}`, timeout, signal);
}
