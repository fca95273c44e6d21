import { and, asc, desc, eq, gt, gte, max, min, or, type SQL, sql } from "drizzle-orm";
import type { Orm } from "../../db/connect.ts";
import type { HotStatements } from "../../db/hot-statements.ts";
import { events } from "../../db/schema.ts";
import type { JournalQuery } from "./write-journal.ts";

export interface EventRefs {
  sessionId?: string | null;
  hostId?: string | null;
  labId?: string | null;
  jobId?: string | null;
}

export interface BrokerEvent extends EventRefs {
  id: number;
  at: number;
  type: string;
  data: Record<string, unknown>;
  /** Who caused it (see actor-scope.ts); null on events recorded before actors were. */
  actor: string | null;
}

export interface EventFilter extends EventRefs {
  actor?: string | null;
  /** An event type (`lab.failed`) or a family of them (`lab` matches `lab.failed`, `lab.running`, …). */
  type?: string | null;
}

type Listener = (event: BrokerEvent) => void;

/**
 * The ordered record of state changes. Ids are assigned here (one broker process writes), so the
 * insert can join the same group commit as the change it describes; listeners hear an event only
 * after that commit.
 */
export class EventLog {
  #nextId: number;
  #listeners = new Set<{ filter: EventFilter; listener: Listener }>();

  constructor(lastId: number) {
    this.#nextId = lastId + 1;
  }

  static async open(orm: Orm): Promise<EventLog> {
    const [top] = await orm.select({ id: max(events.id) }).from(events);
    return new EventLog(top?.id ?? 0);
  }

  /** The id of the newest event (0 before the first): a stream that starts now follows events after it. */
  get lastId(): number {
    return this.#nextId - 1;
  }

  /**
   * The id after which events at or after `at` begin. Ids grow with time, so a binary search over
   * the primary key finds it without an index on time; events deleted by retention are simply absent.
   */
  async idBefore(orm: Orm, at: number): Promise<number> {
    const [bounds] = await orm.select({ first: min(events.id), last: max(events.id) }).from(events);
    let low = (bounds?.first ?? 1) - 1;
    let high = bounds?.last ?? 0;
    // Invariant: every event up to `low` is older than `at`; the event at `high`, if any, is not.
    if (high === 0 || (await this.#timeAtOrAfter(orm, high)) < at) return high;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if ((await this.#timeAtOrAfter(orm, middle)) < at) low = middle;
      else high = middle;
    }
    return low;
  }

  /** The time of the first stored event with an id of at least `id`. */
  async #timeAtOrAfter(orm: Orm, id: number): Promise<number> {
    const [row] = await orm.select({ at: events.at }).from(events).where(gte(events.id, id)).orderBy(asc(events.id)).limit(1);
    return row?.at ?? Number.POSITIVE_INFINITY;
  }

  /** Assigns the next id and returns the event with the statement that stores it. */
  create(
    statements: HotStatements,
    at: number,
    type: string,
    refs: EventRefs,
    data: Record<string, unknown>,
    actor: string,
  ): { event: BrokerEvent; query: JournalQuery } {
    const event: BrokerEvent = { id: this.#nextId++, at, type, ...refs, data, actor };
    const query = statements.insertEvent({
      id: event.id,
      at,
      type,
      sessionId: refs.sessionId ?? null,
      hostId: refs.hostId ?? null,
      labId: refs.labId ?? null,
      jobId: refs.jobId ?? null,
      data,
      actor,
    });
    return { event, query };
  }

  publish(published: readonly BrokerEvent[]): void {
    for (const event of published) {
      for (const { filter, listener } of this.#listeners) {
        if (matchesFilter(event, filter)) listener(event);
      }
    }
  }

  subscribe(filter: EventFilter, listener: Listener): () => void {
    const entry = { filter, listener };
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  /** Committed events after `afterId` that match `filter`, oldest first. */
  async readSince(orm: Orm, filter: EventFilter, afterId: number, limit: number): Promise<BrokerEvent[]> {
    const rows = await orm.select().from(events).where(and(gt(events.id, afterId), ...filterConditions(filter))).orderBy(asc(events.id))
      .limit(limit);
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      type: row.type,
      sessionId: row.sessionId,
      hostId: row.hostId,
      labId: row.labId,
      jobId: row.jobId,
      data: row.data,
      actor: row.actor,
    }));
  }

  /** The id after which the last `count` events matching `filter` start (0 when there are fewer). */
  async tailStart(orm: Orm, filter: EventFilter, count: number): Promise<number> {
    const [row] = await orm.select({ id: events.id }).from(events).where(and(...filterConditions(filter))).orderBy(desc(events.id)).limit(1)
      .offset(count);
    return row?.id ?? 0;
  }
}

function filterConditions(filter: EventFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.sessionId) conditions.push(eq(events.sessionId, filter.sessionId));
  if (filter.hostId) conditions.push(eq(events.hostId, filter.hostId));
  if (filter.labId) conditions.push(eq(events.labId, filter.labId));
  if (filter.jobId) conditions.push(eq(events.jobId, filter.jobId));
  if (filter.actor) conditions.push(eq(events.actor, filter.actor));
  if (filter.type) {
    conditions.push(or(eq(events.type, filter.type), sql`substr(${events.type}, 1, ${filter.type.length + 1}) = ${`${filter.type}.`}`)!);
  }
  return conditions;
}

export function matchesFilter(event: BrokerEvent, filter: EventFilter): boolean {
  return (
    (!filter.type || event.type === filter.type || event.type.startsWith(`${filter.type}.`)) &&
    (!filter.sessionId || event.sessionId === filter.sessionId) &&
    (!filter.hostId || event.hostId === filter.hostId) &&
    (!filter.labId || event.labId === filter.labId) &&
    (!filter.jobId || event.jobId === filter.jobId) &&
    (!filter.actor || event.actor === filter.actor)
  );
}
