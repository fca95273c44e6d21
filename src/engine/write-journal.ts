import type { InStatement } from "@libsql/client";
import type { BatchExecutor } from "../../db/batch-executor.ts";
import type { Logger } from "../log.ts";
import { UnavailableError } from "./errors.ts";

/** A raw statement (hot paths, see db/hot-statements.ts) or any drizzle query. */
export type JournalQuery = InStatement | { toSQL(): { sql: string; params: unknown[] } };

interface PendingWrite {
  statements: InStatement[];
  afterCommit?: () => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Group commit. Engine verbs change the in-memory state synchronously and hand their statements
 * here; everything written while one commit runs goes into the next, as one transaction. A verb's
 * caller answers only after `write()` resolves, so no client ever sees an acknowledgement that a
 * crash could take back. If a commit fails, every write in it (and every write queued behind it,
 * computed from the same state) is rejected and `onCommitFailure` rebuilds memory from the database.
 */
export class WriteJournal {
  #pending: PendingWrite[] = [];
  #running = false;
  #writer: BatchExecutor;
  #log: Logger;
  #onCommitFailure: (error: unknown) => Promise<void>;
  #idle: (() => void)[] = [];
  /** Set while memory is rebuilt after a failed commit: writes then would be computed from state being thrown away. */
  #reloading = false;

  constructor(writer: BatchExecutor, log: Logger, onCommitFailure: (error: unknown) => Promise<void>) {
    this.#writer = writer;
    this.#log = log;
    this.#onCommitFailure = onCommitFailure;
  }

  /** Queues statements for the next commit; resolves once they are durable. */
  write(queries: readonly JournalQuery[], afterCommit?: () => void): Promise<void> {
    const statements = queries.map(toStatement);
    if (this.#reloading) {
      return Promise.reject(new UnavailableError("The broker is recovering from a failed write; nothing was changed. Try again."));
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ statements, resolve, reject, ...(afterCommit ? { afterCommit } : {}) });
      if (!this.#running) {
        this.#running = true;
        setImmediate(() => void this.#commitPending());
      }
    });
  }

  /** Hands up to `pages` free pages of the database back to the file system (between commits). */
  reclaimSpace(pages: number): Promise<void> {
    return this.#writer.reclaimSpace(pages);
  }

  /** Resolves when every write queued so far has been committed or rejected. */
  settled(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #commitPending(): Promise<void> {
    const writes = this.#pending;
    this.#pending = [];
    try {
      await this.#writer.run(writes.flatMap((write) => write.statements));
      for (const write of writes) {
        write.afterCommit?.();
        write.resolve();
      }
    } catch (error) {
      this.#log.error("commit failed; reloading state from the database", { error, writes: writes.length });
      const failure = new UnavailableError("The broker could not store this change; nothing was changed. Try again.");
      for (const write of [...writes, ...this.#pending.splice(0)]) write.reject(failure);
      await this.#reload(error);
    }
    if (this.#pending.length > 0) {
      // Yield first so requests already waiting on the socket join the next commit.
      setImmediate(() => void this.#commitPending());
      return;
    }
    this.#running = false;
    for (const wake of this.#idle.splice(0)) wake();
  }

  /** Rebuilds memory from the database, retrying until it works; no write is accepted meanwhile. */
  async #reload(cause: unknown): Promise<void> {
    this.#reloading = true;
    for (let delayMs = 100;; delayMs = Math.min(delayMs * 2, 5_000)) {
      try {
        await this.#onCommitFailure(cause);
        break;
      } catch (error) {
        this.#log.error("reloading state failed; retrying", { error, retryInMs: delayMs });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
    this.#reloading = false;
  }
}

function toStatement(query: JournalQuery): InStatement {
  if (typeof query === "string" || "sql" in query) return query;
  const { sql, params } = query.toSQL();
  return { sql, args: params as never };
}
