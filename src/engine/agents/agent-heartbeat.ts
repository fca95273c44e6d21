import { eq } from "drizzle-orm";
import { hosts } from "../../../db/schema.ts";
import { Change, type EngineContext } from "../context.ts";
import { NotFoundError, UnauthorizedError } from "../errors.ts";
import type { Host } from "../model.ts";
import { promoteWaitingSessions } from "../scheduler.ts";
import { tokenMatches } from "../tokens.ts";

/** Checks an agent's bearer token: an unknown agent id is 404, a missing or wrong token 401. */
export function authenticateAgent(ctx: EngineContext, hostId: string, agentToken: string | undefined): Host {
  const host = ctx.state.hosts.get(hostId);
  if (!host) throw new NotFoundError(`Cannot find agent "${hostId}"; register it again`);
  if (!agentToken || !tokenMatches(agentToken, host.agentTokenHash)) {
    throw new UnauthorizedError(`The agent token for host "${host.name}" is missing or wrong; register the agent again`);
  }
  return host;
}

/**
 * A poll is the agent's heartbeat. A host that was offline comes back online, and the queue gets
 * a chance at it at once.
 */
export async function recordAgentHeartbeat(ctx: EngineContext, host: Host): Promise<void> {
  const now = ctx.clock.now();
  host.lastSeenAt = now;
  if (host.online) {
    ctx.state.hostsLastSeenDirty.add(host);
    return;
  }
  host.online = true;
  const change = new Change(ctx);
  change.write(ctx.orm.update(hosts).set({ online: true, lastSeenAt: now }).where(eq(hosts.id, host.id)));
  change.emit("host.online", { hostId: host.id }, { name: host.name });
  promoteWaitingSessions(ctx, change);
  await change.commit();
}
