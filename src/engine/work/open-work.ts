import { inArray } from "drizzle-orm";
import type { Orm } from "../../../db/connect.ts";
import { workItems } from "../../../db/schema.ts";
import type { WorkItem } from "./work-item.ts";

/**
 * Work not yet finished, by host, with the long polls waiting for it. Loaded from the database at
 * start, so work queued or dispatched before a restart is delivered again.
 */
export class OpenWork {
  readonly byId = new Map<string, WorkItem>();
  readonly #byHost = new Map<string, Set<WorkItem>>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #outputWaiters = new Map<string, Set<() => void>>();

  static async load(orm: Orm): Promise<OpenWork> {
    const open = new OpenWork();
    const rows = await orm.select().from(workItems).where(inArray(workItems.state, ["queued", "dispatched"])).orderBy(workItems.createdAt);
    for (const row of rows) open.add(row);
    return open;
  }

  add(item: WorkItem): void {
    this.byId.set(item.id, item);
    let forHost = this.#byHost.get(item.hostId);
    if (!forHost) this.#byHost.set(item.hostId, forHost = new Set());
    forHost.add(item);
  }

  remove(item: WorkItem): void {
    this.byId.delete(item.id);
    this.#byHost.get(item.hostId)?.delete(item);
  }

  forHost(hostId: string): WorkItem[] {
    return [...(this.#byHost.get(hostId) ?? [])];
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
