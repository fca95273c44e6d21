import type { WorkPayload } from "../../protocol/work-contract.ts";
import type { Change, EngineContext } from "../context.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import { type Lab, labInstance } from "./lab.ts";
import { transitionLab } from "./lab-changes.ts";

/** Starts tearing a lab down: holders are dropped, the agent gets a destroy (which also cleans a partial deploy). */
export function destroyLabIn(ctx: EngineContext, change: Change, lab: Lab, reason: string): void {
  if (lab.state === "stopping" || lab.state === "inactive") return;
  lab.warmUntil = null;
  if (lab.state === "scheduled") {
    transitionLab(ctx, change, lab, "inactive", { holders: [] });
    return;
  }
  transitionLab(ctx, change, lab, "stopping", { holders: [] });
  enqueueDestroy(ctx, change, { hostId: lab.hostId, labId: lab.id, sessionId: lab.sessionId }, { ...labInstance(lab), reason });
}

/** Queues the removal of a lab instance: a lab's, or one no lab owns (then with no lab id and topology file). */
export function enqueueDestroy(
  ctx: EngineContext,
  change: Change,
  owner: { hostId: string; labId: string | null; sessionId?: string | null },
  payload: WorkPayload<"destroy-lab">,
): void {
  enqueueWork(ctx, change, { ...owner, kind: "destroy-lab", payload });
}
