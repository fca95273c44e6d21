import type { Change, EngineContext } from "../context.ts";
import type { UndoRecord } from "../../protocol/undo-records.ts";
import { enqueueKill } from "../jobs/kill-job.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import type { WorkItem } from "../work/work-item.ts";
import type { ReadOutcome } from "../work/work-outcome.ts";

/** A finished device operation: keep the undo records of what it changed, for the session's end. */
export function recordHostChanges(ctx: EngineContext, change: Change, item: WorkItem, outcome: ReadOutcome<"device-op">): void {
  const undo = outcome.ok && "undo" in outcome.result ? outcome.result.undo : undefined;
  if (!item.sessionId || !undo?.length) return;
  // The session ended while the change was in flight: undo it at once instead of keeping it for an end that has passed.
  const sessionGone = !ctx.state.sessions.has(item.sessionId);
  for (const record of undo) {
    change.write(ctx.state.hostChanges.record({
      sessionId: item.sessionId,
      hostId: item.hostId,
      undo: record,
      operation: item.payload,
      workId: item.id,
      restored: sessionGone,
      createdAt: ctx.clock.now(),
    }));
  }
  if (sessionGone) enqueueRestore(ctx, change, item.hostId, undo);
}

/**
 * When a session ends (released, expired, host lost…): its running jobs are killed and every device
 * change it made is undone in reverse order, host by host. The restore is queued work, so it also
 * happens after an agent restart.
 */
export function restoreSessionHosts(ctx: EngineContext, change: Change, sessionId: string): void {
  for (const job of ctx.state.jobs.unfinishedInSession(sessionId)) {
    enqueueKill(ctx, change, job, "SIGKILL");
  }
  const recorded = ctx.state.hostChanges.unrestored(sessionId);
  if (!recorded.length) return;
  change.write(ctx.state.hostChanges.markRestored(sessionId));
  for (const hostId of new Set(recorded.map((row) => row.hostId))) {
    // Recorded from device-op results the protocol read (recordHostChanges).
    const records = recorded.filter((row) => row.hostId === hostId).map((row) => row.undo as UndoRecord);
    enqueueRestore(ctx, change, hostId, records);
  }
  change.emit("session.restore", { sessionId }, { changes: recorded.length });
}

/** Queues the undo of device changes on one host, in the order they were made (the agent reverts them newest first). */
function enqueueRestore(ctx: EngineContext, change: Change, hostId: string, records: UndoRecord[]): void {
  enqueueWork(ctx, change, {
    hostId,
    kind: "device-op",
    sessionId: null,
    payload: { operation: "restore", records, lab: null, node: null },
  });
}
