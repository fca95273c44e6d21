import type { InferSelectModel } from "drizzle-orm";
import type { WORK_KINDS, WORK_STATES, workItems } from "../../../db/schema.ts";

export type WorkKind = (typeof WORK_KINDS)[number];
export type WorkState = (typeof WORK_STATES)[number];
export type WorkItem = InferSelectModel<typeof workItems>;

/** What an agent receives for one work item. */
export interface WorkDelivery {
  id: string;
  kind: WorkKind;
  payload: Record<string, unknown>;
  session_id: string | null;
  lab_id: string | null;
  job_id: string | null;
  attempt: number;
}

export function toDelivery(item: WorkItem): WorkDelivery {
  return {
    id: item.id,
    kind: item.kind,
    payload: item.payload,
    session_id: item.sessionId,
    lab_id: item.labId,
    job_id: item.jobId,
    attempt: item.attempts,
  };
}

export function isOpen(item: WorkItem): boolean {
  return item.state === "queued" || item.state === "dispatched";
}

/** How a work item ended: the agent's result, or the broker giving it up. */
export interface WorkOutcome {
  ok: boolean;
  result: Record<string, unknown> | null;
  error: string | null;
}
