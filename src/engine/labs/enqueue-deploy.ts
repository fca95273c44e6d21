import type { Change, EngineContext } from "../context.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import { type Lab, labInstance } from "./lab.ts";

/** Hands the lab to its host's agent to deploy (first time, redeploy, or a scheduled start). */
export function enqueueDeploy(ctx: EngineContext, change: Change, lab: Lab, sessionId: string): void {
  enqueueWork(ctx, change, {
    hostId: lab.hostId,
    kind: "deploy-lab",
    labId: lab.id,
    sessionId,
    payload: { ...labInstance(lab), timeout_ms: ctx.settings.labDeployTimeoutMs, keep_baseline: lab.keepWarm },
  });
}
