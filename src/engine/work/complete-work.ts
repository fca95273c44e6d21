import { eq } from "drizzle-orm";
import { workItems } from "../../../db/schema.ts";
import type { Change, EngineContext } from "../context.ts";
import { handleOutcome } from "./work-handlers.ts";
import type { WorkItem } from "./work-item.ts";
import type { WorkOutcome } from "./work-outcome.ts";

/** Finishes a work item and lets its kind's handler apply the outcome (lab state, inventory, job record…). */
export function completeWork(ctx: EngineContext, change: Change, item: WorkItem, outcome: WorkOutcome): void {
  const now = ctx.clock.now();
  item.state = outcome.ok ? "done" : "failed";
  item.result = outcome.result;
  item.error = outcome.error;
  item.finishedAt = now;
  ctx.state.work.remove(item);
  change.write(
    ctx.orm
      .update(workItems)
      .set({ state: item.state, result: item.result, error: item.error, finishedAt: now, lastSeq: item.lastSeq })
      .where(eq(workItems.id, item.id)),
  );
  change.emit(
    "work.finished",
    { hostId: item.hostId, sessionId: item.sessionId, labId: item.labId, jobId: item.jobId },
    { workId: item.id, kind: item.kind, ok: outcome.ok, ...(outcome.error ? { error: outcome.error } : {}) },
  );
  handleOutcome(ctx, change, item, outcome);
  change.afterCommit(() => ctx.state.work.notifyOutput(item));
}
