import type { EngineContext } from "../context.ts";
import { effectiveCapacity, isAheadOf, type Session } from "../model.ts";
import { holdEnd } from "./host-calendar.ts";

export interface StartEstimate {
  /** Estimated start (ms since the epoch), or null when nothing supports a guess. */
  at: number | null;
  basis: string;
}

/** Sessions ahead beyond this are not simulated (the estimate then says so). */
const MAX_SIMULATED = 2000;

/**
 * When a waiting session may start: the slots of its candidate hosts free up when their holders'
 * walltimes end (or, without walltimes, after the median duration of recent sessions of the same
 * pool), and each competing session ahead takes the earliest slot for its own walltime (or that
 * median). The session starts when as many slots as it has roles are free.
 */
export function estimateStart(ctx: EngineContext, session: Session): StartEstimate {
  const now = ctx.clock.now();
  const { queue } = ctx.state;
  const pool = queue.pool(session.poolKey);
  if (!pool) return { at: null, basis: "not waiting" };
  const hosts = [...new Map(queue.candidates(pool).flat().map((host) => [host.id, host])).values()];
  let usedHistory = false;
  let unknown = false;
  const duration = (of: Session): number | null => {
    if (of.walltimeMs !== null) return of.walltimeMs;
    const median = medianDuration(ctx, of.poolKey);
    if (median === null) unknown = true;
    else usedHistory = true;
    return median;
  };
  const freeAt: number[] = [];
  for (const host of hosts) {
    const holders = [...host.holders].map((id) => ctx.state.sessions.get(id)).filter((holder) => holder !== undefined);
    for (const holder of holders) {
      const end = holdEnd(holder);
      const estimated = Number.isFinite(end) ? end : holder.activatedAt! + (duration(holder) ?? Number.POSITIVE_INFINITY);
      freeAt.push(Math.max(now, estimated));
    }
    for (let slot = holders.length; slot < effectiveCapacity(host); slot++) freeAt.push(now);
  }
  const ahead = [...queue.pools()]
    .filter((other) => queue.candidates(other).flat().some((host) => hosts.includes(host)))
    .flatMap((other) => other.sessions.filter((candidate) => isAheadOf(candidate, session)))
    .sort((a, b) => (isAheadOf(a, b) ? -1 : 1));
  for (const other of ahead.slice(0, MAX_SIMULATED)) {
    freeAt.sort((a, b) => a - b);
    const taken = freeAt.splice(0, other.requirements.length);
    const end = Math.max(...taken) + (duration(other) ?? Number.POSITIVE_INFINITY);
    for (let index = 0; index < taken.length; index++) freeAt.push(end);
  }
  freeAt.sort((a, b) => a - b);
  const at = freeAt[session.requirements.length - 1];
  if (at === undefined || !Number.isFinite(at) || unknown) {
    return { at: null, basis: unknown ? "unknown: sessions ahead or holding the hosts have no walltime and this pool has no history yet" : "unknown: not enough matching hosts" };
  }
  const truncated = ahead.length > MAX_SIMULATED ? ` (first ${MAX_SIMULATED} of ${ahead.length} sessions ahead)` : "";
  const basis = usedHistory
    ? `walltimes where set, else the median duration of recent sessions with the same requirements${truncated}`
    : `walltimes of the sessions holding the hosts and ahead in the queue${truncated}`;
  return { at, basis };
}

function medianDuration(ctx: EngineContext, poolKey: string): number | null {
  const durations = [...(ctx.state.recentDurations.get(poolKey) ?? [])].sort((a, b) => a - b);
  return durations.length ? durations[Math.floor(durations.length / 2)]! : null;
}
