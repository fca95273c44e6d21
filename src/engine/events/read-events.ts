import type { EngineContext } from "../context.ts";
import type { BrokerEvent, EventFilter } from "../event-log.ts";

/** Committed events after `afterId` that match `filter`, oldest first, at most `limit`. */
export function readEventsSince(ctx: EngineContext, filter: EventFilter, afterId: number, limit: number): Promise<BrokerEvent[]> {
  return ctx.events.readSince(ctx.orm, filter, afterId, limit);
}

/** Where a stream of events starts: the last `tail` matching ones, those at or after `since` (ms), or now. */
export async function eventStreamStart(ctx: EngineContext, filter: EventFilter, from: { tail?: number; since?: number }): Promise<number> {
  if (from.tail !== undefined) return ctx.events.tailStart(ctx.orm, filter, from.tail);
  if (from.since !== undefined) return ctx.events.idBefore(ctx.orm, from.since);
  return ctx.events.lastId;
}
