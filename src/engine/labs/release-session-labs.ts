import type { Change, EngineContext } from "../context.ts";
import type { Session } from "../model.ts";
import { destroyLabIn } from "./destroy-lab.ts";
import type { Lab } from "./lab.ts";
import { saveHolders } from "./lab-changes.ts";
import { isWarm, mayGoWarm, sendToWarmPool } from "./warm-labs.ts";

/**
 * Drops a session's holds. When `endIdle` is set (the session ended), labs left without holders are
 * destroyed, or go warm when they asked for it (see warm-labs.ts), and so are idle labs it created.
 */
export function releaseSessionLabs(ctx: EngineContext, change: Change, session: Session, endIdle: boolean): void {
  const hostIds = new Set(Object.values(session.assignments ?? {}));
  for (const lab of ctx.state.labs.live()) {
    if (!lab.holders.includes(session.id)) {
      if (!endIdle || lab.holders.length > 0 || isWarm(lab)) continue;
      if (lab.sessionId === session.id) endIdleLab(ctx, change, lab, session.id, "its session ended");
      else if (releasedKeepWarmLab(ctx, lab, hostIds)) sendToWarmPool(ctx, change, lab, session.id);
      continue;
    }
    saveHolders(ctx, change, lab, lab.holders.filter((holder) => holder !== session.id));
    if (endIdle && lab.holders.length === 0) endIdleLab(ctx, change, lab, session.id, "its session ended and no one else holds it");
  }
}

function endIdleLab(ctx: EngineContext, change: Change, lab: Lab, sessionId: string, reason: string): void {
  if (mayGoWarm(ctx, lab)) sendToWarmPool(ctx, change, lab, sessionId);
  else destroyLabIn(ctx, change, lab, reason);
}

/**
 * A keep_warm lab on the ending session's hosts that no session holds and whose deploying session has
 * ended: a session that took it released it (`POST /v1/labs/{id}/release`) and no one is left to use it
 * idle, so it goes warm as at its holder's end. Labs without keep_warm stay idle, as a Remote Lab
 * release leaves them, until a new topology replaces them.
 */
function releasedKeepWarmLab(ctx: EngineContext, lab: Lab, hostIds: ReadonlySet<string>): boolean {
  return hostIds.has(lab.hostId) && !ctx.state.sessions.has(lab.sessionId) && mayGoWarm(ctx, lab);
}
