import type { InferSelectModel } from "drizzle-orm";
import { LAB_STATES, type labs } from "../../../db/schema.ts";
import type { LabInstance } from "../../protocol/lab-instance.ts";

export type Lab = InferSelectModel<typeof labs>;
/** The states of the lab state machine below (the database column holds the same list). */
export { LAB_STATES };
export type LabState = (typeof LAB_STATES)[number];

/** How work names the lab to its agent (deploy, destroy, a job or device change on one of its nodes). */
export function labInstance(lab: Lab): LabInstance {
  return { instance_name: lab.instanceName, runtime: lab.runtime, topology_file: lab.topologyFile, multilab_id: lab.multilabId };
}

/**
 * The lab state machine: scheduled → deploying → running | failed; running → stopping → inactive;
 * failed → deploying | stopping; running → resetting → running | failed (on its way to the warm pool).
 */
const TRANSITIONS: Record<LabState, readonly LabState[]> = {
  scheduled: ["deploying", "stopping", "inactive"],
  deploying: ["running", "failed", "stopping"],
  running: ["stopping", "failed", "resetting"],
  resetting: ["running", "failed", "stopping"],
  failed: ["deploying", "stopping"],
  stopping: ["inactive", "failed"],
  inactive: [],
};

export function canTransition(from: LabState, to: LabState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A lab's extra files (path and hash) as one comparable text; the topology file is compared by its hash apart. */
export function extraFilesKey(files: readonly { path: string; sha256?: string }[], topologyFile: string): string {
  return files
    .filter((file) => file.path !== topologyFile)
    .map((file) => `${file.path}\0${file.sha256 ?? ""}`)
    .sort()
    .join("\n");
}
