import { eq, inArray } from "drizzle-orm";
import type { Orm } from "../../../db/connect.ts";
import { workItems, workOutput } from "../../../db/schema.ts";
import type { JournalQuery } from "../write-journal.ts";
import type { WorkItem, WorkOutcome } from "./work-item.ts";

/** One line of output an agent reported for a work item. */
export interface WorkOutputLine {
  seq: number;
  stream: "stdout" | "stderr" | "info";
  node?: string | null;
  text: string;
}

/**
 * The work aggregate: work not yet finished, by host, the statements that record what happens to
 * it, and the long polls waiting for it. Loaded from the database at start, so work queued or
 * dispatched before a restart is delivered again. Each verb changes memory at once and returns the
 * statement the caller commits: nothing can change the work between the check and the change.
 */
export class WorkStore {
  readonly #orm: Orm;
  readonly #open = new Map<string, WorkItem>();
  readonly #byHost = new Map<string, Set<WorkItem>>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #outputWaiters = new Map<string, Set<() => void>>();
  /** The event batch of each host being recorded now (batches of one host are recorded one at a time). */
  readonly #eventBatches = new Map<string, Promise<void>>();

  constructor(orm: Orm) {
    this.#orm = orm;
  }

  static async load(orm: Orm): Promise<WorkStore> {
    const store = new WorkStore(orm);
    const rows = await orm.select().from(workItems).where(inArray(workItems.state, ["queued", "dispatched"])).orderBy(workItems.createdAt);
    for (const row of rows) store.#add(row);
    return store;
  }

  /** A work item not finished yet. */
  findOpen(workId: string): WorkItem | undefined {
    return this.#open.get(workId);
  }

  /** The host's work not finished yet (queued or dispatched). */
  openForHost(hostId: string): WorkItem[] {
    return [...(this.#byHost.get(hostId) ?? [])];
  }

  /** Queues a new item for its host's agent. */
  queue(item: WorkItem): JournalQuery {
    this.#add(item);
    return this.#orm.insert(workItems).values(item);
  }

  /** Hands an item to its agent (once more, if it was handed before). */
  dispatch(item: WorkItem, now: number): JournalQuery {
    item.state = "dispatched";
    item.attempts += 1;
    item.dispatchedAt = now;
    return this.#orm.update(workItems).set({ state: "dispatched", attempts: item.attempts, dispatchedAt: now }).where(
      eq(workItems.id, item.id),
    );
  }

  /** Records a line of the item's output, the agent's event `line.seq`. */
  recordOutput(item: WorkItem, line: WorkOutputLine, now: number): JournalQuery {
    item.lastSeq = line.seq;
    return this.#orm.insert(workOutput).values({
      workId: item.id,
      seq: line.seq,
      at: now,
      stream: line.stream,
      node: line.node ?? null,
      text: line.text,
    });
  }

  /** Saves how many of the agent's events of the item are recorded. */
  saveProgress(item: WorkItem): JournalQuery {
    return this.#orm.update(workItems).set({ lastSeq: item.lastSeq }).where(eq(workItems.id, item.id));
  }

  /** Finishes an item with its outcome; `resultSeq` is the agent's event that carried it (none when the broker gives the work up). */
  finish(item: WorkItem, outcome: WorkOutcome, now: number, resultSeq = item.lastSeq): JournalQuery {
    item.state = outcome.ok ? "done" : "failed";
    item.result = outcome.result;
    item.error = outcome.error;
    item.finishedAt = now;
    item.lastSeq = resultSeq;
    this.#open.delete(item.id);
    this.#byHost.get(item.hostId)?.delete(item);
    return this.#orm
      .update(workItems)
      .set({ state: item.state, result: item.result, error: item.error, finishedAt: now, lastSeq: item.lastSeq })
      .where(eq(workItems.id, item.id));
  }

  /** Runs `record` once every earlier event batch of `hostId` has settled: a retry arriving while the first copy commits then sees it committed. */
  inHostOrder<T>(hostId: string, record: () => Promise<T>): Promise<T> {
    const recorded = (this.#eventBatches.get(hostId) ?? Promise.resolve()).then(record);
    const settled = recorded.then(
      () => {},
      () => {},
    );
    this.#eventBatches.set(hostId, settled);
    void settled.then(() => {
      if (this.#eventBatches.get(hostId) === settled) this.#eventBatches.delete(hostId);
    });
    return recorded;
  }

  /** Wakes the long polls of `hostId` (after the work they should see is committed). */
  wake(hostId: string): void {
    for (const wake of this.#waiters.get(hostId) ?? []) wake();
  }

  /** Resolves when `wake(hostId)` is called, `signal` aborts, or `timeout` resolves. */
  waitFor(hostId: string, timeout: Promise<void>, signal: AbortSignal): Promise<void> {
    return waitOn(this.#waiters, hostId, timeout, signal);
  }

  /** Wakes readers of a work item's output or outcome, and of its lab's and job's output (after it is committed). */
  notifyOutput(item: WorkItem): void {
    for (const key of outputKeys(item)) for (const wake of this.#outputWaiters.get(key) ?? []) wake();
  }

  /** Resolves on new output under `key` (`work:<id>`, `lab:<id>`, `job:<id>`), when `signal` aborts, or when `timeout` resolves. */
  waitForOutput(key: string, timeout: Promise<void>, signal: AbortSignal): Promise<void> {
    return waitOn(this.#outputWaiters, key, timeout, signal);
  }

  #add(item: WorkItem): void {
    this.#open.set(item.id, item);
    let forHost = this.#byHost.get(item.hostId);
    if (!forHost) this.#byHost.set(item.hostId, forHost = new Set());
    forHost.add(item);
  }
}

function outputKeys(item: WorkItem): string[] {
  return [`work:${item.id}`, ...(item.labId ? [`lab:${item.labId}`] : []), ...(item.jobId ? [`job:${item.jobId}`] : [])];
}

function waitOn(registry: Map<string, Set<() => void>>, key: string, timeout: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let waiters = registry.get(key);
    if (!waiters) registry.set(key, waiters = new Set());
    let settled = false;
    const done = () => {
      // Runs once: a late timeout must not drop a newer waiter set registered under the same key.
      if (settled) return;
      settled = true;
      waiters.delete(done);
      if (waiters.size === 0 && registry.get(key) === waiters) registry.delete(key);
      signal.removeEventListener("abort", done);
      resolve();
    };
    waiters.add(done);
    if (signal.aborted) return done();
    signal.addEventListener("abort", done, { once: true });
    void timeout.then(done);
  });
}
