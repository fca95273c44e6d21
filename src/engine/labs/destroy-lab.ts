import type { Change, EngineContext } from "../context.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import type { Lab } from "./lab.ts";
import { saveHolders, transitionLab } from "./lab-changes.ts";

/** Starts tearing a lab down: holders are dropped, the agent gets a destroy (which also cleans a partial deploy). */
export function destroyLabIn(ctx: EngineContext, change: Change, lab: Lab, reason: string): void {
  if (lab.state === "stopping" || lab.state === "inactive") return;
  if (lab.state === "scheduled") {
    transitionLab(ctx, change, lab, "inactive", { holders: [] });
    return;
  }
  transitionLab(ctx, change, lab, "stopping", { holders: [] });
  enqueueWork(ctx, change, {
    hostId: lab.hostId,
    kind: "destroy-lab",
    labId: lab.id,
    sessionId: lab.sessionId,
    payload: {
      instance_name: lab.instanceName,
      runtime: lab.runtime,
      topology_file: lab.topologyFile,
      multilab_id: lab.multilabId,
      reason,
    },
  });
}

/** Drops a session's holds; labs left without holders are destroyed when `destroyIdle` is set. */
export function releaseSessionLabs(ctx: EngineContext, change: Change, sessionId: string, destroyIdle: boolean): void {
  for (const lab of ctx.state.labs.live()) {
    if (!lab.holders.includes(sessionId)) {
      if (destroyIdle && lab.sessionId === sessionId && lab.holders.length === 0) destroyLabIn(ctx, change, lab, "its session ended");
      continue;
    }
    saveHolders(ctx, change, lab, lab.holders.filter((holder) => holder !== sessionId));
    if (destroyIdle && lab.holders.length === 0) destroyLabIn(ctx, change, lab, "its session ended and no one else holds it");
  }
}
