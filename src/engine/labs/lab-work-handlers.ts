import type { Change, EngineContext } from "../context.ts";
import type { WorkItem } from "../work/work-item.ts";
import type { ReadOutcome } from "../work/work-outcome.ts";
import { destroyLabIn } from "./destroy-lab.ts";
import { transitionLab } from "./lab-changes.ts";

/** The agent finished deploying: running with its nodes, or failed with the tool's error (a failed lab holds no one). */
export function applyDeployResult(ctx: EngineContext, change: Change, item: WorkItem, outcome: ReadOutcome<"deploy-lab">): void {
  const lab = item.labId ? ctx.state.labs.get(item.labId) : undefined;
  // A lab torn down while it deployed stays on its way out; the destroy that follows cleans up.
  if (!lab || lab.state !== "deploying") return;
  if (outcome.ok) transitionLab(ctx, change, lab, "running", { nodes: outcome.result.nodes, error: null });
  else transitionLab(ctx, change, lab, "failed", { error: outcome.error ?? "deploy failed", holders: [] });
}

/** The agent finished destroying: inactive, or failed saying what could not be removed. */
export function applyDestroyResult(ctx: EngineContext, change: Change, item: WorkItem, outcome: ReadOutcome<"destroy-lab">): void {
  const lab = item.labId ? ctx.state.labs.get(item.labId) : undefined;
  if (!lab || lab.state !== "stopping") return;
  if (outcome.ok) transitionLab(ctx, change, lab, "inactive", { nodes: [], error: null });
  else transitionLab(ctx, change, lab, "failed", { error: `destroy failed: ${outcome.error ?? "unknown error"}` });
}

/**
 * The agent finished resetting a lab on its way to the warm pool (or already taken by a session):
 * running again with its nodes; a lab that could not be reset is failed, with the reason, and destroyed.
 */
export function applyResetResult(ctx: EngineContext, change: Change, item: WorkItem, outcome: ReadOutcome<"reset-lab">): void {
  const lab = item.labId ? ctx.state.labs.get(item.labId) : undefined;
  if (!lab || lab.state !== "resetting") return;
  if (outcome.ok) {
    transitionLab(ctx, change, lab, "running", { nodes: outcome.result.nodes, error: null });
    return;
  }
  const error = `reset to the deployed baseline failed: ${outcome.error ?? "unknown error"}`;
  transitionLab(ctx, change, lab, "failed", { error, holders: [] });
  destroyLabIn(ctx, change, lab, error);
}
