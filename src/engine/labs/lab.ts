import type { InferSelectModel } from "drizzle-orm";
import type { LAB_STATES, labs } from "../../../db/schema.ts";

export type Lab = InferSelectModel<typeof labs>;
export type LabState = (typeof LAB_STATES)[number];

/** The lab state machine: scheduled → deploying → running | failed; running → stopping → inactive; failed → deploying | stopping. */
const TRANSITIONS: Record<LabState, readonly LabState[]> = {
  scheduled: ["deploying", "stopping", "inactive"],
  deploying: ["running", "failed", "stopping"],
  running: ["stopping", "failed"],
  failed: ["deploying", "stopping"],
  stopping: ["inactive", "failed"],
  inactive: [],
};

export function canTransition(from: LabState, to: LabState): boolean {
  return TRANSITIONS[from].includes(to);
}
