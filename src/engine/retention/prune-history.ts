import type { SQL } from "drizzle-orm";
import type { EngineContext } from "../context.ts";
import { deleteSessionsCompletely, type HistoryKind, RAW_HISTORY, type RowKey, selectEndedSessions } from "./history-statements.ts";

/** Sessions one commit deletes with all they left: small enough that other writes joining that commit are not held up. */
const BATCH_SESSIONS = 50;
/** Batches per kind and round: a backlog is worked off over several rounds, never in one long stall. */
const BATCHES_PER_ROUND = 20;

export type PruneCounts = Record<string, number>;

/**
 * Deletes history older than the retention settings, in small batches through the write journal
 * (each its own group commit), oldest first. Rows of sessions that have not ended are never
 * touched. Returns what it deleted per kind.
 */
export class HistoryPruner {
  readonly #ctx: EngineContext;
  /** Per kind that updates instead of deleting: everything before this time is done. */
  readonly #doneBefore = new Map<string, number>();

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  async prune(): Promise<PruneCounts> {
    const now = this.#ctx.clock.now();
    const counts: PruneCounts = {};
    for (const kind of RAW_HISTORY) {
      const deleted = await this.#pruneKind(kind, now - this.#ctx.settings.retentionMs);
      if (deleted > 0) counts[kind.name] = deleted;
    }
    const sessions = await this.#pruneSessions(now - this.#ctx.settings.summaryRetentionMs);
    if (sessions > 0) counts.sessions = sessions;
    return counts;
  }

  async #pruneKind(kind: HistoryKind, before: number): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < BATCHES_PER_ROUND; batch++) {
      const keys = await this.#keys(kind.select(before, kind.batch, this.#doneBefore.get(kind.name) ?? 0));
      if (keys.length > 0) await this.#ctx.journal.write([kind.remove(this.#ctx.orm, keys)]);
      total += keys.length;
      if (keys.length < kind.batch) {
        this.#doneBefore.set(kind.name, before);
        break;
      }
    }
    return total;
  }

  async #pruneSessions(before: number): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < BATCHES_PER_ROUND; batch++) {
      const ids = await this.#keys(selectEndedSessions(before, BATCH_SESSIONS));
      if (ids.length === 0) break;
      await this.#ctx.journal.write(deleteSessionsCompletely(this.#ctx.orm, ids.map(String)));
      this.#ctx.state.sessions.forgetEnded(ids.map(String));
      total += ids.length;
      if (ids.length < BATCH_SESSIONS) break;
    }
    return total;
  }

  async #keys(query: SQL): Promise<RowKey[]> {
    const rows = await this.#ctx.orm.all<{ key: RowKey }>(query);
    return rows.map((row) => row.key);
  }
}
