import { Change, type EngineContext } from "../context.ts";
import type { Host } from "../model.ts";
import { promoteWaitingSessions } from "../scheduler.ts";

/**
 * A poll is the agent's heartbeat. A host that was offline comes back online, and the queue gets
 * a chance at it at once. The address it came from is kept for the host listing.
 */
export async function recordAgentHeartbeat(ctx: EngineContext, host: Host, agentAddress: string | null = null): Promise<void> {
  const now = ctx.clock.now();
  const moved = agentAddress !== null && agentAddress !== host.agentAddress;
  if (host.online && !moved) {
    ctx.state.hosts.touch(host, now);
    return;
  }
  const wasOffline = !host.online;
  const change = new Change(ctx);
  change.write(ctx.state.hosts.heardFrom(host, moved ? agentAddress : host.agentAddress, now));
  if (wasOffline) {
    change.emit("host.online", { hostId: host.id }, { name: host.name, agentAddress: host.agentAddress });
    promoteWaitingSessions(ctx, change);
  }
  await change.commit();
}

/**
 * Runs `hold` (the held part of a poll) with the host counted alive throughout: liveness never
 * depends on how long a poll is held. When the poll ends, answered or cut off, the host was last
 * seen then.
 */
export async function holdingPoll<T>(ctx: EngineContext, host: Host, hold: () => Promise<T>): Promise<T> {
  ctx.state.hosts.pollStarted(host);
  try {
    return await hold();
  } finally {
    ctx.state.hosts.pollEnded(host, ctx.clock.now());
  }
}
