import type { Principal } from "../access/principal.ts";
import { mayActFor } from "../access/principal.ts";
import type { EngineContext } from "../context.ts";
import type { Session } from "../model.ts";

/** Sessions ahead of a waiting one in its queue; 0 for a session that does not wait. */
export function sessionsAhead(ctx: EngineContext, session: Session): number {
  return session.state === "waiting" ? ctx.state.sessions.queue.countAhead(session) : 0;
}

/** How many sessions are live (waiting, reserved or active) and how many of them wait. */
export function liveSessionCounts(ctx: EngineContext): { live: number; waiting: number } {
  return { live: ctx.state.sessions.liveCount, waiting: ctx.state.sessions.waitingCount() };
}

/** The caller's active session that became active first (of anyone's, for admins); ties go to the earlier arrival. */
export function oldestActiveSession(ctx: EngineContext, principal: Principal): Session | undefined {
  let oldest: Session | undefined;
  for (const session of ctx.state.sessions.all()) {
    if (session.state !== "active" || !mayActFor(principal, session.ownerId)) continue;
    const activatedAt = session.activatedAt ?? 0;
    const oldestAt = oldest?.activatedAt ?? 0;
    if (!oldest || activatedAt < oldestAt || (activatedAt === oldestAt && session.seq < oldest.seq)) oldest = session;
  }
  return oldest;
}
