import type { Change, EngineContext } from "../context.ts";
import { newId } from "../ids.ts";
import type { WorkPayload } from "../../protocol/work-contract.ts";
import type { WorkKind } from "../../protocol/work-kinds.ts";
import type { WorkItem } from "./work-item.ts";

export interface WorkRequest<K extends WorkKind> {
  hostId: string;
  kind: K;
  /** Built as the protocol says for the kind (src/protocol/work-contract.ts). */
  payload: WorkPayload<K>;
  sessionId?: string | null;
  labId?: string | null;
  jobId?: string | null;
}

/** Queues work for a host's agent inside `change`; the agent's long poll wakes when it commits. */
export function enqueueWork<K extends WorkKind>(ctx: EngineContext, change: Change, request: WorkRequest<K>): WorkItem {
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
