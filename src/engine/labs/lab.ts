import type { InferSelectModel } from "drizzle-orm";
import { eq } from "drizzle-orm";
import { LAB_STATES, labs } from "../../../db/schema.ts";
import type { LabInstance } from "../../protocol/lab-instance.ts";
import type { Change, EngineContext } from "../context.ts";
import { ConflictError } from "../errors.ts";

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

/** Moves a lab to `to` (refusing a transition the state machine does not have), persists it and emits `lab.<to>`. */
export function transitionLab(
  ctx: EngineContext,
  change: Change,
  lab: Lab,
  to: LabState,
  fields: Partial<Pick<Lab, "nodes" | "error" | "holders">> = {},
): void {
  if (!TRANSITIONS[lab.state].includes(to)) throw new ConflictError(`Lab "${lab.id}" cannot go from ${lab.state} to ${to}`);
  const from = lab.state;
  Object.assign(lab, fields, { state: to, updatedAt: ctx.clock.now() });
  if (to === "running") {
    lab.runningAt ??= lab.updatedAt;
    lab.runningNodes = lab.nodes;
  }
  if (to === "inactive") ctx.state.labs.delete(lab.id);
  change.write(
    ctx.orm
      .update(labs)
      .set({
        state: to,
        nodes: lab.nodes,
        error: lab.error,
        holders: lab.holders,
        updatedAt: lab.updatedAt,
        runningAt: lab.runningAt,
        runningNodes: lab.runningNodes,
        warmUntil: lab.warmUntil,
      })
      .where(eq(labs.id, lab.id)),
  );
  change.emit(`lab.${to}`, { labId: lab.id, sessionId: lab.sessionId, hostId: lab.hostId }, {
    from,
    instance: lab.instanceName,
    ...(lab.error && to === "failed" ? { error: lab.error } : {}),
  });
}

/** Persists a change of holders (ref counts per session). */
export function saveHolders(ctx: EngineContext, change: Change, lab: Lab): void {
  lab.updatedAt = ctx.clock.now();
  change.write(ctx.orm.update(labs).set({ holders: lab.holders, updatedAt: lab.updatedAt }).where(eq(labs.id, lab.id)));
  change.emit("lab.holders", { labId: lab.id, hostId: lab.hostId }, { holders: lab.holders });
}

/** Live labs on a host, newest first. */
export function liveLabsOnHost(ctx: EngineContext, hostId: string): Lab[] {
  return [...ctx.state.labs.values()].filter((lab) => lab.hostId === hostId).sort((a, b) => b.createdAt - a.createdAt);
}

/** A lab's extra files (path and hash) as one comparable text; the topology file is compared by its hash apart. */
export function extraFilesKey(files: readonly { path: string; sha256?: string }[], topologyFile: string): string {
  return files
    .filter((file) => file.path !== topologyFile)
    .map((file) => `${file.path}\0${file.sha256 ?? ""}`)
    .sort()
    .join("\n");
}
