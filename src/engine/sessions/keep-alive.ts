import type { EngineContext } from "../context.ts";
import { touchSession } from "./touch-session.ts";

/**
 * Runs `work` on behalf of a session (a foreground job, a lab deploy, a device change) and counts
 * the session as alive while it runs: a client waiting on a long request is not silent.
 */
export async function whileSessionBusy<T>(ctx: EngineContext, sessionId: string, work: () => Promise<T>): Promise<T> {
  ctx.state.sessions.requestStarted(sessionId);
  try {
    return await work();
  } finally {
    ctx.state.sessions.requestEnded(sessionId);
    if (ctx.state.sessions.has(sessionId)) touchSession(ctx, sessionId);
  }
}
