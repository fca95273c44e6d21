import type { Change, EngineContext } from "../context.ts";
import { newId } from "../ids.ts";
import type { WorkItem, WorkKind } from "./work-item.ts";

export interface WorkRequest {
  hostId: string;
  kind: WorkKind;
  payload: Record<string, unknown>;
  sessionId?: string | null;
  labId?: string | null;
  jobId?: string | null;
}

/** Queues work for a host's agent inside `change`; the agent's long poll wakes when it commits. */
export function enqueueWork(ctx: EngineContext, change: Change, request: WorkRequest): WorkItem {
  const now = ctx.clock.now();
  const item: WorkItem = {
    id: newId(now),
    hostId: request.hostId,
    kind: request.kind,
    state: "queued",
    payload: request.payload,
    sessionId: request.sessionId ?? null,
    labId: request.labId ?? null,
    jobId: request.jobId ?? null,
    attempts: 0,
    lastSeq: 0,
    result: null,
    error: null,
    createdAt: now,
    dispatchedAt: null,
    finishedAt: null,
  };
  change.write(ctx.state.work.queue(item));
  change.emit("work.queued", { hostId: item.hostId, sessionId: item.sessionId, labId: item.labId, jobId: item.jobId }, {
    workId: item.id,
    kind: item.kind,
  });
  change.afterCommit(() => ctx.state.work.wake(item.hostId));
  return item;
}
