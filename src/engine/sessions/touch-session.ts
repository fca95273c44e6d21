import type { EngineContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { Session } from "../model.ts";

/**
 * Records a sign of life (a poll or heartbeat) in memory; housekeeping persists it. Losing the
 * last few seconds of it in a crash is harmless: a restart lifts every last-seen time to "now".
 */
export function touchSession(ctx: EngineContext, sessionId: string): Session {
  const session = ctx.state.sessions.get(sessionId);
  if (!session) throw new NotFoundError(`Cannot find a waiting or active session "${sessionId}"`);
  ctx.state.sessions.touch(session, ctx.clock.now());
  return session;
}
