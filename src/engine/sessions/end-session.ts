import { Change, type EngineContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { EndReason, Session } from "../model.ts";
import { rotateAgentTokenIn } from "../agents/agent-credential.ts";
import { restoreSessionHosts } from "../devices/host-changes.ts";
import { checkHostsAfterSession } from "../hosts/health-gate.ts";
import { releaseSessionLabs } from "../labs/release-session-labs.ts";
import { promoteWaitingSessions } from "../scheduler.ts";

/** Ends `session` inside `change`: leaves the queue or frees its hosts. The caller promotes afterwards. */
export function endSessionIn(ctx: EngineContext, change: Change, session: Session, reason: EndReason): void {
  const { state } = ctx;
  const previous = session.state;
  change.write(state.sessions.end(session, reason, ctx.clock.now()));
  state.jobs.forgetSession(session.id);
  if (previous === "active") {
    for (const hostId of Object.values(session.assignments ?? {})) {
      const host = state.hosts.get(hostId);
      // What the session ran may have read the agent's token: it dies with the session.
      if (host) rotateAgentTokenIn(ctx, change, host);
    }
  }
  change.emit("session.ended", { sessionId: session.id }, { reason, previous });
  // Jobs killed and changes undone before the session's labs go: a change may involve a lab (a device
  // of the session's joined to the lab's management bridge keeps the bridge from being deleted).
  restoreSessionHosts(ctx, change, session.id);
  releaseSessionLabs(ctx, change, session, true);
  // Queued after the restore and the destroys, which the agent runs first: the check sees what they left.
  checkHostsAfterSession(ctx, change, session);
}

/** Ends a live session by request and starts whoever can start on what it freed. */
export async function endSession(ctx: EngineContext, sessionId: string, reason: EndReason): Promise<Session> {
  const session = ctx.state.sessions.get(sessionId);
  if (!session) throw new NotFoundError(`Cannot find a waiting or active session "${sessionId}"`);
  const change = new Change(ctx);
  endSessionIn(ctx, change, session, reason);
  promoteWaitingSessions(ctx, change);
  await change.commit();
  return session;
}
