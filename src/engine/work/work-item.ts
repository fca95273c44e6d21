import type { InferSelectModel } from "drizzle-orm";
import { WORK_STATES, type workItems } from "../../../db/schema.ts";
import type { WorkDelivery } from "../../protocol/agent-schemas.ts";
import { PROTOCOL_VERSION } from "../../protocol/protocol-version.ts";

/** A work item waits for its agent, is dispatched to it, then done or failed (the database column holds the same list). */
export { WORK_STATES };
export type WorkState = (typeof WORK_STATES)[number];
export type WorkItem = InferSelectModel<typeof workItems>;

/** What an agent receives for one work item: its payload in this broker's protocol version. */
export function toDelivery(item: WorkItem): WorkDelivery {
  return {
    id: item.id,
    kind: item.kind,
    protocol_version: PROTOCOL_VERSION,
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
