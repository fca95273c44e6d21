import { and, asc, eq, gt, isNotNull, lt, sql } from "drizzle-orm";
import { sessions } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";
import type { ClientInfo, Host } from "../model.ts";
import { type CalendarEntry, hostCalendar } from "./host-calendar.ts";

/** Holds that ended before the window are not listed beyond this many (a day of short CI sessions fits). */
const MAX_ENDED_HOLDS = 2000;

export interface CalendarWindowEntry extends CalendarEntry {
  client: ClientInfo;
  /** True for a hold that has ended (its `to` is when). */
  ended: boolean;
}

/**
 * A host's calendar over [from, to): holds that ended in the window (from the database), the
 * current holds and the bookings ahead, in start order.
 */
export async function hostCalendarWindow(ctx: EngineContext, host: Host, from: number, to: number): Promise<CalendarWindowEntry[]> {
  const live = hostCalendar(ctx, host)
    .filter((entry) => entry.from < to && entry.to > from)
    .map((entry) => ({ ...entry, client: ctx.state.sessions.get(entry.sessionId)?.client ?? {}, ended: false }));
  const ended = from < ctx.clock.now() ? await endedHolds(ctx, host.id, from, to) : [];
  return [...ended, ...live].sort((a, b) => a.from - b.from);
}

async function endedHolds(ctx: EngineContext, hostId: string, from: number, to: number): Promise<CalendarWindowEntry[]> {
  const rows = await ctx.orm
    .select({ id: sessions.id, activatedAt: sessions.activatedAt, endedAt: sessions.endedAt, client: sessions.client })
    .from(sessions)
    .where(
      and(
        eq(sessions.state, "ended"),
        isNotNull(sessions.activatedAt),
        lt(sessions.activatedAt, to),
        gt(sessions.endedAt, from),
        sql`exists (select 1 from json_each(${sessions.assignments}) where value = ${hostId})`,
      ),
    )
    .orderBy(asc(sessions.activatedAt))
    .limit(MAX_ENDED_HOLDS);
  return rows.map((row) => ({
    sessionId: row.id,
    kind: "hold",
    from: row.activatedAt!,
    to: row.endedAt!,
    client: row.client,
    ended: true,
  }));
}
