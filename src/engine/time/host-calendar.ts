import type { EngineContext } from "../context.ts";
import { effectiveCapacity, type Host, type Session } from "../model.ts";

export interface CalendarEntry {
  sessionId: string;
  kind: "hold" | "booking";
  from: number;
  /** Infinity for a hold without walltime: it lasts until released. */
  to: number;
}

/** When an active session lets go of its hosts at the latest: its walltime's end, or never. */
export function holdEnd(session: Session): number {
  return session.walltimeMs === null || session.activatedAt === null ? Number.POSITIVE_INFINITY : session.activatedAt + session.walltimeMs;
}

/** A host's holds (active sessions) and bookings (reservations), in start order. */
export function hostCalendar(ctx: EngineContext, host: Host): CalendarEntry[] {
  const entries: CalendarEntry[] = [];
  for (const sessionId of host.holders) {
    const session = ctx.state.sessions.get(sessionId);
    if (session) entries.push({ sessionId, kind: "hold", from: session.activatedAt ?? 0, to: holdEnd(session) });
  }
  for (const session of ctx.state.sessions.bookingsOn(host.id) ?? []) {
    entries.push({ sessionId: session.id, kind: "booking", from: session.startAt!, to: session.startAt! + session.walltimeMs! });
  }
  return entries.sort((a, b) => a.from - b.from);
}

/**
 * Whether the host has a slot free for all of [from, to): the entries overlapping the interval
 * (counted as if all at once, which never overbooks) stay below its capacity.
 */
export function hostFreeDuring(ctx: EngineContext, host: Host, from: number, to: number, ignoreSession?: string): boolean {
  return freeIn(hostCalendar(ctx, host), effectiveCapacity(host), from, to, ignoreSession);
}

export function freeIn(calendar: readonly CalendarEntry[], capacity: number, from: number, to: number, ignoreSession?: string): boolean {
  let overlapping = 0;
  for (const entry of calendar) {
    if (entry.from >= to) break;
    if (entry.sessionId !== ignoreSession && entry.to > from) overlapping++;
  }
  return overlapping < capacity;
}

/**
 * Backfill that respects bookings: a session may start on a host now only if it is done before
 * every booking that would otherwise leave no slot; a session without walltime never jumps one.
 */
export function bookingsAllowStartNow(ctx: EngineContext, host: Host, session: Session, now: number): boolean {
  const bookings = ctx.state.sessions.bookingsOn(host.id);
  if (!bookings?.length) return true;
  const end = session.walltimeMs === null ? Number.POSITIVE_INFINITY : now + session.walltimeMs;
  return hostFreeDuring(ctx, host, now, end, session.id);
}

/**
 * The earliest start at or after `from` at which a session of `durationMs` (Infinity: no walltime)
 * on this host runs into no booking that would leave it no slot. Holds are not looked at.
 */
export function startAfterBookings(ctx: EngineContext, host: Host, from: number, durationMs: number, ignoreSession?: string): number {
  const bookings = (ctx.state.sessions.bookingsOn(host.id) ?? []).filter((booking) => booking.id !== ignoreSession);
  const entries: CalendarEntry[] = bookings.map((booking) => ({
    sessionId: booking.id,
    kind: "booking",
    from: booking.startAt!,
    to: booking.startAt! + booking.walltimeMs!,
  }));
  entries.sort((a, b) => a.from - b.from);
  const capacity = effectiveCapacity(host);
  for (const start of [from, ...entries.map((entry) => entry.to).filter((end) => end > from).sort((a, b) => a - b)]) {
    if (freeIn(entries, capacity, start, start + durationMs)) return start;
  }
  return Number.POSITIVE_INFINITY;
}

/** The first booking on one of `hosts` that keeps `session` from starting now on a host with a free slot, or null. */
export function bookingInTheWay(
  ctx: EngineContext,
  hosts: readonly Host[],
  session: Session,
  now: number,
): { host: Host; booking: Session } | null {
  const end = session.walltimeMs === null ? Number.POSITIVE_INFINITY : now + session.walltimeMs;
  let found: { host: Host; booking: Session } | null = null;
  for (const host of hosts) {
    if (host.holders.size >= effectiveCapacity(host) || bookingsAllowStartNow(ctx, host, session, now)) continue;
    for (const booking of ctx.state.sessions.bookingsOn(host.id) ?? []) {
      const overlaps = booking.startAt! < end && booking.startAt! + booking.walltimeMs! > now;
      if (overlaps && (!found || booking.startAt! < found.booking.startAt!)) found = { host, booking };
    }
  }
  return found;
}
