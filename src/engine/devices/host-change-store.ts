import { eq, max } from "drizzle-orm";
import type { Orm } from "../../../db/connect.ts";
import { hostChanges } from "../../../db/schema.ts";
import type { HostChange } from "../jobs/job.ts";
import type { JournalQuery } from "../write-journal.ts";

/**
 * The device changes sessions made on their hosts and that are not restored yet, per session,
 * oldest first, and the statements that record them. Each verb changes memory at once and returns
 * the statement the caller commits.
 */
export class HostChangeStore {
  readonly #orm: Orm;
  readonly #unrestored = new Map<string, HostChange[]>();
  #nextId: number;

  constructor(orm: Orm, nextId: number) {
    this.#orm = orm;
    this.#nextId = nextId;
  }

  static async load(orm: Orm): Promise<HostChangeStore> {
    const [last] = await orm.select({ id: max(hostChanges.id) }).from(hostChanges);
    const store = new HostChangeStore(orm, (last?.id ?? 0) + 1);
    for (const row of await orm.select().from(hostChanges).where(eq(hostChanges.restored, false)).orderBy(hostChanges.id)) {
      store.#unrestoredOf(row.sessionId).push(row);
    }
    return store;
  }

  /** The session's changes not restored yet, oldest first. */
  unrestored(sessionId: string): readonly HostChange[] {
    return this.#unrestored.get(sessionId) ?? [];
  }

  /** Records a change; one already `restored` (its undo is queued at once) is not kept for the session's end. */
  record(change: Omit<HostChange, "id">): JournalQuery {
    const row: HostChange = { id: this.#nextId++, ...change };
    if (!row.restored) this.#unrestoredOf(row.sessionId).push(row);
    return this.#orm.insert(hostChanges).values(row);
  }

  /** Every change of the session is being restored. */
  markRestored(sessionId: string): JournalQuery {
    this.#unrestored.delete(sessionId);
    return this.#orm.update(hostChanges).set({ restored: true }).where(eq(hostChanges.sessionId, sessionId));
  }

  #unrestoredOf(sessionId: string): HostChange[] {
    let rows = this.#unrestored.get(sessionId);
    if (!rows) this.#unrestored.set(sessionId, rows = []);
    return rows;
  }
}
