import type { Change, EngineContext } from "../context.ts";
import { handleOutcome } from "./work-handlers.ts";
import type { WorkItem, WorkOutcome } from "./work-item.ts";

/**
 * Finishes a work item and lets its kind's handler apply the outcome (lab state, inventory, job record…).
 * `resultSeq` is the agent's event that carried the outcome (none when the broker gives the work up).
 */
export function completeWork(ctx: EngineContext, change: Change, item: WorkItem, outcome: WorkOutcome, resultSeq?: number): void {
  change.write(ctx.state.work.finish(item, outcome, ctx.clock.now(), resultSeq));
  change.emit(
    "work.finished",
    { hostId: item.hostId, sessionId: item.sessionId, labId: item.labId, jobId: item.jobId },
    { workId: item.id, kind: item.kind, ok: outcome.ok, ...(outcome.error ? { error: outcome.error } : {}) },
  );
  handleOutcome(ctx, change, item, outcome);
  change.afterCommit(() => ctx.state.work.notifyOutput(item));
}
