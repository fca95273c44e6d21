import type { Change, EngineContext } from "../context.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import { type Lab, transitionLab } from "./lab.ts";

/** Starts tearing a lab down: holders are dropped, the agent gets a destroy (which also cleans a partial deploy). */
export function destroyLabIn(ctx: EngineContext, change: Change, lab: Lab, reason: string): void {
  if (lab.state === "stopping" || lab.state === "inactive") return;
  lab.warmUntil = null;
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
