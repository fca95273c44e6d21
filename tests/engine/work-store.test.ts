import { afterEach, expect, test } from "bun:test";
import { type Database, openDatabase } from "../../db/connect.ts";
import { applyMigrations } from "../../db/migrate.ts";
import { embeddedMigrations } from "../../db/migrations.generated.ts";
import type { WorkItem } from "../../src/engine/work/work-item.ts";
import { WorkStore } from "../../src/engine/work/work-store.ts";
import { WriteJournal } from "../../src/engine/write-journal.ts";
import { silentLogger } from "../../src/log.ts";

let db: Database;
afterEach(() => db?.close());

async function openStore(): Promise<{ store: WorkStore; journal: WriteJournal }> {
  db = await openDatabase({ url: ":memory:" });
  await applyMigrations(db.client, embeddedMigrations);
  return { store: new WorkStore(db.orm), journal: new WriteJournal(db.writer, silentLogger, async () => {}) };
}

function workFor(hostId: string, id: string): WorkItem {
  return {
    id,
    hostId,
    kind: "run-job",
    state: "queued",
    payload: {},
    sessionId: null,
    labId: null,
    jobId: null,
    attempts: 0,
    lastSeq: 0,
    result: null,
    error: null,
    createdAt: 1,
    dispatchedAt: null,
    finishedAt: null,
  };
}

test("what the verbs return, once committed, rebuilds the same open work the verbs left in memory", async () => {
  const { store, journal } = await openStore();
  const [queued, dispatched, finished] = ["w1", "w2", "w3"].map((id) => workFor("h1", id)) as [WorkItem, WorkItem, WorkItem];
  await journal.write([store.queue(queued), store.queue(dispatched), store.queue(finished)]);
  await journal.write([
    store.dispatch(dispatched, 5),
    store.recordOutput(dispatched, { seq: 1, stream: "stdout", text: "hello" }, 6),
    store.saveProgress(dispatched),
    store.dispatch(finished, 5),
    store.finish(finished, { ok: true, result: { exit: 0 }, error: null }, 7, 2),
  ]);

  expect(store.openForHost("h1").map((item) => [item.id, item.state, item.attempts, item.lastSeq])).toEqual([
    ["w1", "queued", 0, 0],
    ["w2", "dispatched", 1, 1],
  ]);
  expect(store.findOpen("w3")).toBeUndefined();
  expect(finished).toMatchObject({ state: "done", lastSeq: 2, finishedAt: 7, result: { exit: 0 } });

  const reloaded = await WorkStore.load(db.orm);
  expect(reloaded.openForHost("h1")).toEqual(store.openForHost("h1"));
  const output = await db.client.execute("SELECT work_id, seq, text FROM work_output");
  expect(output.rows.map((row) => [row.work_id, row.seq, row.text])).toEqual([["w2", 1, "hello"]]);
  const done = await db.client.execute("SELECT state, last_seq FROM work_items WHERE id = 'w3'");
  expect(done.rows.map((row) => [row.state, row.last_seq])).toEqual([["done", 2]]);
});

test("event batches of one host are recorded one after the other, even when an earlier one fails", async () => {
  const { store } = await openStore();
  const order: string[] = [];
  let finishFirst!: () => void;
  const first = store.inHostOrder("h1", async () => {
    await new Promise<void>((resolve) => (finishFirst = resolve));
    order.push("first");
    throw new Error("refused");
  });
  const second = store.inHostOrder("h1", async () => void order.push("second"));
  const otherHost = store.inHostOrder("h2", async () => void order.push("other host"));
  await otherHost;
  finishFirst();
  await expect(first).rejects.toThrow("refused");
  await second;
  expect(order).toEqual(["other host", "first", "second"]);
});

test("a late timeout of an earlier wait does not drop a newer waiter on the same key", async () => {
  const { store } = await openStore();
  const never = new AbortController().signal;
  let releaseFirstTimeout!: () => void;
  const firstTimeout = new Promise<void>((resolve) => (releaseFirstTimeout = resolve));
  const first = store.waitForOutput("work:1", firstTimeout, never);
  store.notifyOutput(workFor("h1", "1"));
  await first;

  let secondWoken = false;
  const second = store.waitForOutput("work:1", new Promise(() => {}), never).then(() => (secondWoken = true));
  releaseFirstTimeout();
  await Promise.resolve();
  await Promise.resolve();
  store.notifyOutput(workFor("h1", "1"));
  await second;
  expect(secondWoken).toBe(true);
});
