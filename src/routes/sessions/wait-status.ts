import type { EngineContext } from "../../engine/context.ts";
import type { Session } from "../../engine/model.ts";
import { explainWait } from "../../engine/sessions/explain-wait.ts";
import { wantedHostHolders } from "../../engine/sessions/wanted-host-holders.ts";
import { estimateStart } from "../../engine/time/estimate-start.ts";
import { isoTime } from "../iso-time.ts";

/** The `position` event of a waiting session: where it stands, why, who holds the hosts it wants, and when it may start. */
export function waitStatus(engine: EngineContext, session: Session) {
  const wait = explainWait(engine, session);
  const estimate = estimateStart(engine, session);
  return {
    position: wait.position,
    reason: wait.reason,
    unsatisfiable: wait.unsatisfiable,
    estimated_start_at: isoTime(estimate.at),
    held_by: heldBy(engine, session),
  };
}

/** Who holds the hosts a waiting session could use, as the API shows it. */
export function heldBy(engine: EngineContext, session: Session) {
  return wantedHostHolders(engine, session).map((holder) => ({
    host: holder.host,
    session_id: holder.sessionId,
    client: holder.client,
    since: isoTime(holder.since),
  }));
}
