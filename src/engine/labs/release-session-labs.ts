import type { Change, EngineContext } from "../context.ts";
import { destroyLabIn } from "./destroy-lab.ts";
import { type Lab, saveHolders } from "./lab.ts";
import { isWarm, mayGoWarm, sendToWarmPool } from "./warm-labs.ts";

/**
 * Drops a session's holds. When `endIdle` is set (the session ended), labs left without holders are
 * destroyed, or go warm when they asked for it (see warm-labs.ts), and so are idle labs it created.
 */
export function releaseSessionLabs(ctx: EngineContext, change: Change, sessionId: string, endIdle: boolean): void {
  for (const lab of [...ctx.state.labs.values()]) {
    if (!lab.holders.includes(sessionId)) {
      if (endIdle && lab.sessionId === sessionId && lab.holders.length === 0 && !isWarm(lab)) {
        endIdleLab(ctx, change, lab, sessionId, "its session ended");
      }
      continue;
    }
    lab.holders = lab.holders.filter((holder) => holder !== sessionId);
    saveHolders(ctx, change, lab);
    if (endIdle && lab.holders.length === 0) endIdleLab(ctx, change, lab, sessionId, "its session ended and no one else holds it");
  }
}

function endIdleLab(ctx: EngineContext, change: Change, lab: Lab, sessionId: string, reason: string): void {
  if (mayGoWarm(ctx, lab)) sendToWarmPool(ctx, change, lab, sessionId);
  else destroyLabIn(ctx, change, lab, reason);
}
