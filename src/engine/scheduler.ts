import type { Change, EngineContext } from "./context.ts";
import { matchGang } from "./gang-matcher.ts";
import { acceptsNewSessions, type Host, isAheadOf, type Session } from "./model.ts";
import { hostFacts } from "./manifest/host-facts.ts";
import { preferWarmHosts } from "./labs/warm-labs.ts";
import type { QueuePool } from "./session-queue.ts";
import { bookingsAllowStartNow } from "./time/host-calendar.ts";

/**
 * Starts every waiting session that can start now, in queue order (priority, then arrival).
 * A session starts only when all its requirements match distinct free hosts at once. When the
 * session at the front of a pool cannot start, the free hosts it could use are held back from
 * everyone behind it, so a later session only ever overtakes on hosts the earlier one cannot use.
 * Among free hosts, those with a warm lab a requirement names come first (see warm-labs.ts).
 * Sessions with identical requirements share a pool, so one failed head settles its whole pool:
 * the pass costs O(pools × hosts), not O(queue).
 */
export function promoteWaitingSessions(ctx: EngineContext, change: Change): Session[] {
  const { state } = ctx;
  if (state.sessions.queue.size === 0) return [];
  const open = new Set<string>();
  for (const host of state.hosts.all()) if (acceptsNewSessions(host)) open.add(host.id);
  const activated: Session[] = [];
  const settled = new Set<QueuePool>();
  while (open.size > 0) {
    const pool = frontPool(state.sessions.queue.pools(), settled);
    if (!pool) break;
    const session = pool.sessions[0]!;
    const now = ctx.clock.now();
    const usable = preferWarmHosts(
      ctx,
      session.requirements,
      state.sessions.queue.candidates(pool).map((hosts) =>
        hosts.filter((host) => open.has(host.id) && bookingsAllowStartNow(ctx, host, session, now))
      ),
    );
    const chosen = matchGang(usable);
    if (chosen) {
      activateSession(ctx, change, session, chosen);
      activated.push(session);
      for (const host of chosen) if (!acceptsNewSessions(host)) open.delete(host.id);
      continue;
    }
    settled.add(pool);
    for (const hosts of usable) for (const host of hosts) open.delete(host.id);
  }
  return activated;
}

function frontPool(pools: Iterable<QueuePool>, settled: Set<QueuePool>): QueuePool | undefined {
  let front: QueuePool | undefined;
  for (const pool of pools) {
    if (settled.has(pool)) continue;
    if (!front || isAheadOf(pool.sessions[0]!, front.sessions[0]!)) front = pool;
  }
  return front;
}

/** Makes a session active on the chosen hosts (one per requirement, in order). */
export function activateSession(ctx: EngineContext, change: Change, session: Session, chosen: Host[]): void {
  const facts = Object.fromEntries(session.requirements.map((requirement, index) => [requirement.role, hostFacts(chosen[index]!)]));
  change.write(ctx.state.sessions.activate(session, chosen, facts, ctx.clock.now()));
  const hosts = Object.fromEntries(
    session.requirements.map((requirement, index) => [requirement.role, { id: chosen[index]!.id, name: chosen[index]!.name }]),
  );
  change.emit("session.activated", { sessionId: session.id }, { hosts });
}
