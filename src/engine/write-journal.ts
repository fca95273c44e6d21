import type { BatchItem } from "drizzle-orm/batch";
import type { Orm } from "../../db/connect.ts";
import type { Logger } from "../log.ts";
import { UnavailableError } from "./errors.ts";

export type JournalQuery = BatchItem<"sqlite">;

interface PendingWrite {
  queries: JournalQuery[];
  afterCommit?: () => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Group commit. Engine verbs change the in-memory state synchronously and hand their statements
 * here; everything written while one commit runs goes into the next, as one transaction. A verb's
 * caller answers only after `write()` resolves, so no client ever sees an acknowledgement that a
 * crash could take back. If a commit fails, every write in it is rejected and `onCommitFailure`
 * rebuilds the in-memory state from the database.
 */
export class WriteJournal {
  #pending: PendingWrite[] = [];
  #running = false;
  #orm: Orm;
  #log: Logger;
  #onCommitFailure: (error: unknown) => Promise<void>;
  #idle: (() => void)[] = [];

  constructor(orm: Orm, log: Logger, onCommitFailure: (error: unknown) => Promise<void>) {
    this.#orm = orm;
    this.#log = log;
    this.#onCommitFailure = onCommitFailure;
  }

  /** Queues statements for the next commit; resolves once they are durable. */
  write(queries: JournalQuery[], afterCommit?: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ queries, resolve, reject, ...(afterCommit ? { afterCommit } : {}) });
      if (!this.#running) {
        this.#running = true;
        setImmediate(() => void this.#commitPending());
      }
    });
  }

  /** Resolves when every write queued so far has been committed or rejected. */
  settled(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #commitPending(): Promise<void> {
    const writes = this.#pending;
    this.#pending = [];
    const queries = writes.flatMap((write) => write.queries);
    try {
      if (queries.length > 0) await this.#orm.batch(queries as [JournalQuery, ...JournalQuery[]]);
      for (const write of writes) {
        write.afterCommit?.();
        write.resolve();
      }
    } catch (error) {
      this.#log.error("commit failed; reloading state from the database", { error, writes: writes.length });
      const failure = new UnavailableError("The broker could not store this change; nothing was changed. Try again.");
      // Writes queued meanwhile were computed from the state being discarded: they go too.
      for (const write of [...writes, ...this.#pending.splice(0)]) write.reject(failure);
      await this.#onCommitFailure(error);
    }
    if (this.#pending.length > 0) {
      // Yield first so requests already waiting on the socket join the next commit.
      setImmediate(() => void this.#commitPending());
      return;
    }
    this.#running = false;
    for (const wake of this.#idle.splice(0)) wake();
  }
}
