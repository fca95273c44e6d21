import { eq } from "drizzle-orm";
import { hostChanges } from "../../../db/schema.ts";
import type { Change, EngineContext } from "../context.ts";
import type { HostChange } from "../jobs/job.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import type { WorkItem, WorkOutcome } from "../work/work-item.ts";

/** A finished device operation: keep the undo records of what it changed, for the session's end. */
export function recordHostChanges(ctx: EngineContext, change: Change, item: WorkItem, outcome: WorkOutcome): void {
  const undo = outcome.result?.undo;
  if (!item.sessionId || !Array.isArray(undo) || undo.length === 0) return;
  // The session ended while the change was in flight: undo it at once instead of keeping it for an end that has passed.
  const sessionGone = !ctx.state.sessions.has(item.sessionId);
  const recorded = ctx.state.hostChanges.get(item.sessionId) ?? [];
  for (const record of undo as Record<string, unknown>[]) {
    const row: HostChange = {
      id: ctx.state.nextHostChangeId++,
      sessionId: item.sessionId,
      hostId: item.hostId,
      undo: record,
      operation: item.payload,
      workId: item.id,
      restored: sessionGone,
      createdAt: ctx.clock.now(),
    };
    recorded.push(row);
    change.write(ctx.orm.insert(hostChanges).values(row));
  }
  if (sessionGone) {
    enqueueWork(ctx, change, {
      hostId: item.hostId,
      kind: "device-op",
      sessionId: null,
      payload: { operation: "restore", records: undo, lab: null, node: null },
    });
    return;
  }
  ctx.state.hostChanges.set(item.sessionId, recorded);
}

/**
 * When a session ends (released, expired, host lost…): its running jobs are killed and every device
 * change it made is undone in reverse order, host by host. The restore is queued work, so it also
 * happens after an agent restart.
 */
export function restoreSessionHosts(ctx: EngineContext, change: Change, sessionId: string): void {
  for (const job of ctx.state.jobs.unfinishedInSession(sessionId)) {
    enqueueWork(ctx, change, {
      hostId: job.hostId,
      kind: "kill-job",
      sessionId,
      jobId: job.id,
      payload: { job_id: job.id, signal: "SIGKILL" },
    });
  }
  const recorded = ctx.state.hostChanges.get(sessionId);
  if (!recorded?.length) return;
  ctx.state.hostChanges.delete(sessionId);
  for (const hostId of new Set(recorded.map((row) => row.hostId))) {
    const records = recorded.filter((row) => row.hostId === hostId).map((row) => row.undo);
    enqueueWork(ctx, change, {
      hostId,
      kind: "device-op",
      sessionId: null,
      payload: { operation: "restore", records, lab: null, node: null },
    });
  }
  change.write(ctx.orm.update(hostChanges).set({ restored: true }).where(eq(hostChanges.sessionId, sessionId)));
  change.emit("session.restore", { sessionId }, { changes: recorded.length });
}
