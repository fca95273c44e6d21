import { Change, type EngineContext } from "../context.ts";
import { NotFoundError, UnauthorizedError } from "../errors.ts";
import type { Host } from "../model.ts";
import { tokenMatches } from "../tokens.ts";
import type { JournalQuery } from "../write-journal.ts";

/**
 * Checks an agent's bearer token: an unknown agent id is 404, a missing or wrong token 401. The
 * first request with a rotated token makes it the host's credential; the old one dies then.
 */
export async function authenticateAgent(ctx: EngineContext, hostId: string, presented: string | null): Promise<Host> {
  const host = ctx.state.hosts.get(hostId);
  if (!host) throw new NotFoundError(`Cannot find agent "${hostId}"; register it again`);
  if (presented && host.agentTokenHash && tokenMatches(presented, host.agentTokenHash)) return host;
  if (presented && host.pendingAgentTokenHash && tokenMatches(presented, host.pendingAgentTokenHash)) {
    await saveCredential(ctx, host, ctx.state.hosts.adoptOfferedCredential(host), "host.credential-rotated");
    if (host.rotateAgain) await rotateNow(ctx, host);
    return host;
  }
  throw new UnauthorizedError(`The agent token for host "${host.name}" is missing or wrong; register the agent again`);
}

/**
 * A session that held the host ended: what it ran may have read the agent's token, so the host
 * gets a new one, handed to its agent by the next poll (woken now). Until the agent uses it, the
 * old one keeps working, so a lost answer loses nothing.
 */
export function rotateAgentTokenIn(ctx: EngineContext, change: Change, host: Host): void {
  const rotation = ctx.state.hosts.rotateCredential(host);
  if (!rotation) return;
  change.write(rotation);
  change.afterCommit(() => ctx.state.work.wake(host.id));
}

/**
 * The rotated token to hand the agent in a poll answer, if one is due. After a broker restart only
 * its hash is known, so a fresh one replaces it (the agent never received the lost one, or it
 * would be using it).
 */
export async function agentTokenToDeliver(ctx: EngineContext, host: Host): Promise<string | null> {
  if (!host.pendingAgentTokenHash) return null;
  if (!host.pendingAgentToken) await rotateNow(ctx, host);
  return host.pendingAgentToken;
}

/** Rotates when the agent cannot hold the offered credential: none is offered, or it was lost with a restart. */
async function rotateNow(ctx: EngineContext, host: Host): Promise<void> {
  const change = new Change(ctx);
  rotateAgentTokenIn(ctx, change, host);
  await change.commit();
}

/** An admin releases the host's name: the next agent enrolling under it takes the host (its current token stops working). */
export async function allowReenrollment(ctx: EngineContext, host: Host): Promise<void> {
  await saveCredential(ctx, host, ctx.state.hosts.allowReenrollment(host), "host.reenroll-allowed");
}

async function saveCredential(ctx: EngineContext, host: Host, statement: JournalQuery, event: string): Promise<void> {
  const change = new Change(ctx);
  change.write(statement);
  change.emit(event, { hostId: host.id }, { name: host.name });
  await change.commit();
}
