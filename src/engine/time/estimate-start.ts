import type { EngineContext } from "../context.ts";
import { effectiveCapacity, type Host, isAheadOf, type Session } from "../model.ts";
import { holdEnd, startAfterBookings } from "./host-calendar.ts";

export interface StartEstimate {
  /** Estimated start (ms since the epoch), or null when nothing supports a guess. */
  at: number | null;
  basis: string;
}

/** Sessions ahead beyond this are not simulated (the estimate then says so). */
const MAX_SIMULATED = 2000;
/** A common start that keeps moving past bookings on several hosts is given up on after this many moves. */
const MAX_BOOKING_ROUNDS = 50;

/**
 * When a waiting session may start: the slots of its candidate hosts free up when their holders'
 * walltimes end (or, without walltimes, after the median duration of recent sessions of the same
 * pool), and each competing session ahead takes the earliest slot for its own walltime (or that
 * median). The session starts when as many slots as it has roles are free and its run would not
 * reach into a booking on them (the queue never lets a session jump a booking it would overlap).
 */
export function estimateStart(ctx: EngineContext, session: Session): StartEstimate {
  const now = ctx.clock.now();
  const { queue } = ctx.state.sessions;
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
  // One entry per slot of a candidate host: when it frees up.
  const slots: { host: Host; at: number }[] = [];
  for (const host of hosts) {
    const holders = [...host.holders].map((id) => ctx.state.sessions.get(id)).filter((holder) => holder !== undefined);
    for (const holder of holders) {
      const end = holdEnd(holder);
      const estimated = Number.isFinite(end) ? end : holder.activatedAt! + (duration(holder) ?? Number.POSITIVE_INFINITY);
      slots.push({ host, at: Math.max(now, estimated) });
    }
    for (let slot = holders.length; slot < effectiveCapacity(host); slot++) slots.push({ host, at: now });
  }
  const ahead = [...queue.pools()]
    .filter((other) => queue.candidates(other).flat().some((host) => hosts.includes(host)))
    .flatMap((other) => other.sessions.filter((candidate) => isAheadOf(candidate, session)))
    .sort((a, b) => (isAheadOf(a, b) ? -1 : 1));
  for (const other of ahead.slice(0, MAX_SIMULATED)) {
    const length = duration(other) ?? Number.POSITIVE_INFINITY;
    const taken = takeSlots(ctx, slots, other.requirements.length, length);
    for (const slot of taken.slots) slot.at = taken.start + length;
  }
  const own = takeSlots(ctx, slots, session.requirements.length, session.walltimeMs ?? Number.POSITIVE_INFINITY);
  const at = own.slots.length === session.requirements.length ? own.start : undefined;
  if (at === undefined || !Number.isFinite(at) || unknown) {
    return {
      at: null,
      basis: unknown
        ? "unknown: sessions ahead or holding the hosts have no walltime and this pool has no history yet"
        : "unknown: not enough matching hosts",
    };
  }
  const truncated = ahead.length > MAX_SIMULATED ? ` (first ${MAX_SIMULATED} of ${ahead.length} sessions ahead)` : "";
  const basis = usedHistory
    ? `walltimes where set, else the median duration of recent sessions with the same requirements${truncated}`
    : `walltimes of the sessions holding the hosts and ahead in the queue${truncated}`;
  const bookings = hosts.some((host) => ctx.state.sessions.bookingsOn(host.id)?.length) ? "; reservations booked on the hosts" : "";
  return { at, basis: basis + bookings };
}

/**
 * Takes the `count` earliest-free slots (distinct hosts first come first) for a session of
 * `durationMs` and the common start at which none of them runs into a booking.
 */
function takeSlots(
  ctx: EngineContext,
  slots: { host: Host; at: number }[],
  count: number,
  durationMs: number,
): { start: number; slots: { host: Host; at: number }[] } {
  slots.sort((a, b) => a.at - b.at);
  const taken = slots.slice(0, count);
  let start = Math.max(...taken.map((slot) => slot.at));
  for (let round = 0; round < MAX_BOOKING_ROUNDS && Number.isFinite(start); round++) {
    const moved = Math.max(...taken.map((slot) => startAfterBookings(ctx, slot.host, start, durationMs)));
    if (moved === start) break;
    start = moved;
  }
  return { start, slots: taken };
}

function medianDuration(ctx: EngineContext, poolKey: string): number | null {
  const durations = [...ctx.state.sessions.recentDurations(poolKey)].sort((a, b) => a - b);
  return durations.length ? durations[Math.floor(durations.length / 2)]! : null;
}
