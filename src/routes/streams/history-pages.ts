import type { EngineContext } from "../../engine/context.ts";
import type { BrokerEvent, EventFilter } from "../../engine/event-log.ts";
import { readEventsSince } from "../../engine/events/read-events.ts";
import { createSerializer } from "../../serializer.ts";

/** Stored events a stream replays per read: small, so a replay holds little and waits for its client between pages. */
export const HISTORY_PAGE = 200;
/** Full pages kept for other replays of the same history (a few hundred kB). */
const KEPT_PAGES = 32;

/**
 * Stored events for streams that replay history, a page at a time. Pages are read one at a time, so
 * many history requests share the database with everything else instead of crowding it out. A full
 * page never changes (later events have larger ids), so recent ones are kept: clients replaying the
 * same history (a console reloaded by many, clients resuming after a restart) read and encode it once.
 */
export class HistoryPages {
  readonly #engine: EngineContext;
  readonly #turns = createSerializer();
  readonly #kept = new Map<string, BrokerEvent[]>();

  constructor(engine: EngineContext) {
    this.#engine = engine;
  }

  /** The first page of events after `afterId` matching `filter`, oldest first; shorter than HISTORY_PAGE at the end. */
  read(filter: EventFilter, afterId: number): Promise<BrokerEvent[]> {
    const key = `${afterId} ${JSON.stringify(filter)}`;
    const kept = this.#keptPage(key);
    if (kept) return Promise.resolve(kept);
    return this.#turns(async () => {
      const keptMeanwhile = this.#keptPage(key);
      if (keptMeanwhile) return keptMeanwhile;
      const page = await readEventsSince(this.#engine, filter, afterId, HISTORY_PAGE);
      if (page.length === HISTORY_PAGE) this.#keep(key, page);
      return page;
    });
  }

  #keptPage(key: string): BrokerEvent[] | undefined {
    const page = this.#kept.get(key);
    if (page) {
      // Most recently used last: the oldest is dropped first.
      this.#kept.delete(key);
      this.#kept.set(key, page);
    }
    return page;
  }

  #keep(key: string, page: BrokerEvent[]): void {
    this.#kept.set(key, page);
    if (this.#kept.size > KEPT_PAGES) this.#kept.delete(this.#kept.keys().next().value!);
  }
}
