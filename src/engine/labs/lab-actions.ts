import { Change, type EngineContext } from "../context.ts";
import { ConflictError, LockedError } from "../errors.ts";
import { copyInactiveLab } from "./copy-lab.ts";
import { enqueueDeploy } from "./enqueue-deploy.ts";
import { destroyLabIn } from "./destroy-lab.ts";
import type { Lab } from "./lab.ts";
import { saveHolders, transitionLab } from "./lab-changes.ts";

/**
 * Drops one of `sessionId`'s holds (Remote Lab: one per acquire) or all of them (/v1); a lab left
 * without holders keeps running, idle, for reuse. Releasing what is not held is harmless.
 */
export async function releaseLab(ctx: EngineContext, lab: Lab, sessionId: string, holds: "one" | "all"): Promise<Lab> {
  const index = lab.holders.indexOf(sessionId);
  if (index < 0) return lab;
  const change = new Change(ctx);
  saveHolders(ctx, change, lab, holds === "all" ? lab.holders.filter((holder) => holder !== sessionId) : lab.holders.toSpliced(index, 1));
  await change.commit();
  return lab;
}

/** Destroys a lab; without `force` a held lab is refused (409). Returns whether anything was live to destroy. */
export async function deleteLab(ctx: EngineContext, lab: Lab, force: boolean, reason: string): Promise<boolean> {
  if (lab.state === "inactive" || lab.state === "stopping") return false;
  if (!force && lab.holders.length > 0) throw new ConflictError("Lab still in use");
  const change = new Change(ctx);
  destroyLabIn(ctx, change, lab, reason);
  await change.commit();
  return true;
}

/**
 * Deploys a failed lab again, or an inactive one as a new instance (a copy, see copy-lab.ts), for
 * an active session of its host. Returns the lab that deploys.
 */
export async function redeployLab(ctx: EngineContext, lab: Lab, sessionId: string): Promise<Lab> {
  if (lab.state === "inactive") return copyInactiveLab(ctx, lab, sessionId);
  if (lab.state !== "failed") throw new ConflictError(`Only a failed or inactive lab can be redeployed; this one is ${lab.state}`);
  return deployHeldBy(ctx, lab, sessionId);
}

/** Deploys a scheduled lab now instead of at its start_at, for an active session of its host. */
export async function deployLabNow(ctx: EngineContext, lab: Lab, sessionId: string): Promise<Lab> {
  if (lab.state !== "scheduled") throw new ConflictError(`Only a scheduled lab can be deployed now; this one is ${lab.state}`);
  return deployHeldBy(ctx, lab, sessionId);
}

async function deployHeldBy(ctx: EngineContext, lab: Lab, sessionId: string): Promise<Lab> {
  const session = ctx.state.sessions.get(sessionId);
  if (!session || session.state !== "active" || !Object.values(session.assignments ?? {}).includes(lab.hostId)) {
    throw new LockedError(`Session "${sessionId}" is not active on the lab's host`);
  }
  const change = new Change(ctx);
  transitionLab(ctx, change, lab, "deploying", { error: null, holders: [sessionId], nodes: [] });
  enqueueDeploy(ctx, change, lab, sessionId);
  await change.commit();
  return lab;
}
