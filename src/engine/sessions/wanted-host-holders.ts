import type { EngineContext } from "../context.ts";
import type { ClientInfo, Session } from "../model.ts";

/** Holders named per waiting session: enough to say who is in the way without a long list. */
const MAX_NAMED = 5;

export interface HostHolder {
  host: string;
  sessionId: string;
  client: ClientInfo;
  since: number | null;
}

/** Who holds the hosts a waiting session could use, longest-held first. */
export function wantedHostHolders(ctx: EngineContext, session: Session): HostHolder[] {
  const pool = ctx.state.sessions.queue.pool(session.poolKey);
  if (!pool) return [];
  const hosts = new Set(ctx.state.sessions.queue.candidates(pool).flat());
  const holders: HostHolder[] = [];
  for (const host of hosts) {
    for (const holderId of host.holders) {
      const holder = ctx.state.sessions.get(holderId);
      if (holder) holders.push({ host: host.name, sessionId: holder.id, client: holder.client, since: holder.activatedAt });
    }
  }
  return holders.sort((a, b) => (a.since ?? 0) - (b.since ?? 0)).slice(0, MAX_NAMED);
}
