import { z } from "zod";
import type { Change, EngineContext } from "../context.ts";
import type { WorkItem, WorkOutcome } from "../work/work-item.ts";
import { transitionLab } from "./lab-changes.ts";

export const LabNodeSchema = z.object({
  name: z.string(),
  kind: z.string(),
  state: z.string(),
  mgmtIpv4: z.string().nullable(),
  mgmtIpv6: z.string().nullable(),
  raw: z.record(z.string(), z.unknown()),
});

const DeployResultSchema = z.object({ nodes: z.array(LabNodeSchema) });

/** The agent finished deploying: running with its nodes, or failed with the tool's error (a failed lab holds no one). */
export function applyDeployResult(ctx: EngineContext, change: Change, item: WorkItem, outcome: WorkOutcome): void {
  const lab = item.labId ? ctx.state.labs.get(item.labId) : undefined;
  // A lab torn down while it deployed stays on its way out; the destroy that follows cleans up.
  if (!lab || lab.state !== "deploying") return;
  const parsed = DeployResultSchema.safeParse(outcome.result);
  if (outcome.ok && parsed.success) {
    transitionLab(ctx, change, lab, "running", { nodes: parsed.data.nodes, error: null });
    return;
  }
  const error = outcome.ok
    ? `the agent reported nodes in an unexpected shape: ${parsed.error?.issues[0]?.message}`
    : (outcome.error ?? "deploy failed");
  transitionLab(ctx, change, lab, "failed", { error, holders: [] });
}

/** The agent finished destroying: inactive, or failed saying what could not be removed. */
export function applyDestroyResult(ctx: EngineContext, change: Change, item: WorkItem, outcome: WorkOutcome): void {
  const lab = item.labId ? ctx.state.labs.get(item.labId) : undefined;
  if (!lab || lab.state !== "stopping") return;
  if (outcome.ok) transitionLab(ctx, change, lab, "inactive", { nodes: [], error: null });
  else transitionLab(ctx, change, lab, "failed", { error: `destroy failed: ${outcome.error ?? "unknown error"}` });
}
