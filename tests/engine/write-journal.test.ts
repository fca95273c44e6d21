import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InStatement } from "@libsql/client";
import { type Database, openDatabase } from "../../db/connect.ts";
import { UnavailableError } from "../../src/engine/errors.ts";
import { startJob } from "../../src/engine/jobs/start-job.ts";
import { WriteJournal } from "../../src/engine/write-journal.ts";
import { silentLogger } from "../../src/log.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real database with one table whose rows keep the order they were committed in. */
async function openEntries(url: string): Promise<Database> {
  const db = await openDatabase({ url });
  cleanups.push(() => db.close());
  await db.client.execute("CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL UNIQUE)");
  return db;
}

const insert = (label: string): InStatement => ({ sql: "INSERT INTO entries (label) VALUES (?)", args: [label] });

async function storedLabels(db: Database): Promise<string[]> {
  const result = await db.client.execute("SELECT label FROM entries ORDER BY seq");
  return result.rows.map((row) => String(row.label));
}

interface Commits {
  /** The labels of each transaction the journal ran, in order (failed ones included). */
  batches: string[][];
  /** The most transactions that ran at the same time. */
  mostAtOnce: number;
}

/** Watches the real writer: what each transaction held, and whether two ever overlapped. */
function watchCommits(db: Database, beforeEach: (index: number) => void = () => {}): Commits {
  const commits: Commits = { batches: [], mostAtOnce: 0 };
  const run = db.writer.run.bind(db.writer);
  let running = 0;
  db.writer.run = async (statements) => {
    beforeEach(commits.batches.length);
    commits.batches.push(statements.map(firstArgument));
    commits.mostAtOnce = Math.max(commits.mostAtOnce, ++running);
    try {
      await run(statements);
    } finally {
      running--;
    }
  };
  return commits;
}

/** How a write ended, observed from the moment it is queued (a rejection is never left unhandled). */
function outcomeOf(write: Promise<void>): Promise<string> {
  return write.then(
    () => "committed",
    (error) => (error instanceof UnavailableError ? "refused" : String(error)),
  );
}

/** The label an `insert()` statement stores (other statements only need counting). */
function firstArgument(statement: InStatement): string {
  return typeof statement !== "string" && Array.isArray(statement.args) ? String(statement.args[0]) : "";
}

function tempFileUrl(): string {
  const folder = mkdtempSync(join(tmpdir(), "labbroker-journal-"));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return `file:${join(folder, "broker.db")}`;
}

for (const [kind, url] of [["in memory", () => ":memory:"], ["in a file", tempFileUrl]] as const) {
  describe(`the write journal, database ${kind}`, () => {
    test("writes queued in one tick commit as one transaction, and each writer hears back once its write is durable", async () => {
      const db = await openEntries(url());
      const commits = watchCommits(db);
      const journal = new WriteJournal(db.writer, silentLogger, async () => {});
      const labels = Array.from({ length: 30 }, (_, index) => `w${index}`);
      const storedWhenAnswered = await Promise.all(labels.map((label) => journal.write([insert(label)]).then(() => storedLabels(db))));
      expect(commits.batches).toEqual([labels]);
      for (const stored of storedWhenAnswered) expect(stored).toEqual(labels);
    });

    test("writes arriving during a commit go into the next one, after it, in the order they were written", async () => {
      const db = await openEntries(url());
      const journal = new WriteJournal(db.writer, silentLogger, async () => {});
      const written: Promise<void>[] = [];
      const committed: string[] = [];
      const write = (label: string) => written.push(journal.write([insert(label)], () => committed.push(label)));
      const commits = watchCommits(db, (index) => {
        if (index === 0) { for (const label of ["b", "c", "d"]) write(label); }
      });
      write("a");
      await Promise.all(written);
      await journal.settled();
      expect(commits.batches).toEqual([["a"], ["b", "c", "d"]]);
      expect(commits.mostAtOnce).toBe(1);
      expect(committed).toEqual(["a", "b", "c", "d"]);
      expect(await storedLabels(db)).toEqual(["a", "b", "c", "d"]);
    });

    test("a failing commit stores nothing of its batch and rejects every write in it and queued behind it", async () => {
      const db = await openEntries(url());
      await db.client.execute("INSERT INTO entries (label) VALUES ('taken')");
      const failures: unknown[] = [];
      const journal = new WriteJournal(db.writer, silentLogger, async (cause) => void failures.push(cause));
      const afterCommits: string[] = [];
      const outcomes: Promise<string>[] = [];
      const write = (label: string) => outcomes.push(outcomeOf(journal.write([insert(label)], () => afterCommits.push(label))));
      watchCommits(db, (index) => {
        if (index === 0) write("behind");
      });
      for (const label of ["fine", "taken", "also-fine"]) write(label);
      await journal.settled();
      expect(await Promise.all(outcomes)).toEqual(["refused", "refused", "refused", "refused"]);
      await journal.settled();
      expect(failures).toHaveLength(1);
      expect(String(failures[0])).toContain("UNIQUE");
      expect(afterCommits).toEqual([]);
      expect(await storedLabels(db)).toEqual(["taken"]);
    });

    test("while memory is rebuilt after a failed commit, writes are refused at once; afterwards they commit", async () => {
      const db = await openEntries(url());
      let finishReload!: () => void;
      const reloading = new Promise<void>((resolve) => (finishReload = resolve));
      let reloadStarted!: () => void;
      const reloadBegun = new Promise<void>((resolve) => (reloadStarted = resolve));
      const journal = new WriteJournal(db.writer, silentLogger, () => {
        reloadStarted();
        return reloading;
      });
      await expect(journal.write(["INSERT INTO missing_table VALUES (1)"])).rejects.toThrow(UnavailableError);
      await reloadBegun;
      await expect(journal.write([insert("during-reload")])).rejects.toThrow(/recovering from a failed write/);
      finishReload();
      await journal.settled();
      await journal.write([insert("after-reload")]);
      expect(await storedLabels(db)).toEqual(["after-reload"]);
    });

    test("a reload that fails is tried again until it works, and only then does the journal settle", async () => {
      const db = await openEntries(url());
      let attempts = 0;
      const journal = new WriteJournal(db.writer, silentLogger, async () => {
        if (++attempts === 1) throw new Error("database still unreachable");
      });
      await expect(journal.write(["INSERT INTO missing_table VALUES (1)"])).rejects.toThrow(UnavailableError);
      await journal.settled();
      expect(attempts).toBe(2);
      await journal.write([insert("after-retry")]);
      expect(await storedLabels(db)).toEqual(["after-retry"]);
    });
  });
}

describe("the write journal under the engine", () => {
  let engine: TestEngine;
  afterEach(async () => {
    await engine?.close();
  });

  /** Makes the next commit fail the way a full disk would (the real writer runs every other commit). */
  function failNextCommit(): void {
    const realRun = engine.db.writer.run;
    let failNext = true;
    engine.db.writer.run = async (statements) => {
      if (failNext) {
        failNext = false;
        throw new Error("disk full");
      }
      return realRun(statements);
    };
  }

  test("sessions requested in one tick are stored by one transaction", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    await engine.ctx.journal.settled();
    const commits = watchCommits(engine.db);
    const requested = await Promise.all(Array.from({ length: 20 }, () => engine.requestSession()));
    expect(commits.batches).toHaveLength(1);
    const rows = await engine.db.client.execute("SELECT count(*) AS n FROM sessions");
    expect(Number(rows.rows[0]?.n)).toBe(20);
    expect(requested.map((session) => engine.ctx.state.sessions.get(session.id)?.state)).toEqual([
      "active",
      ...Array(19).fill("waiting"),
    ]);
  });

  test("a failed commit answers 503, rebuilds memory from the database, and later writes work", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    const kept = await engine.requestSession();
    failNextCommit();
    await expect(engine.requestSession()).rejects.toThrow(UnavailableError);
    await engine.ctx.journal.settled();
    expect([...engine.ctx.state.sessions.all()].map((session) => session.id)).toEqual([kept.id]);
    const next = await engine.requestSession();
    expect(engine.ctx.state.sessions.get(next.id)?.state).toBe("waiting");
    const rows = await engine.db.client.execute("SELECT count(*) AS n FROM sessions");
    expect(Number(rows.rows[0]?.n)).toBe(2);
  });

  test("a job whose commit failed is neither in memory nor queued for the agent, and its number is given again", async () => {
    engine = await createTestEngine();
    const host = await engine.addHost("only");
    const session = await engine.requestSession();
    const spec = { argv: ["true"], background: false, timeoutMs: 10_000, expectFailure: false, parseJson: false, maxOutputBytes: 1_000 };
    failNextCommit();
    await expect(startJob(engine.ctx, session.id, {}, spec)).rejects.toThrow(UnavailableError);
    await engine.ctx.journal.settled();
    expect(engine.ctx.state.jobs.unfinishedInSession(session.id)).toEqual([]);
    expect(engine.ctx.state.work.openForHost(host.id).filter((item) => item.kind === "run-job")).toEqual([]);
    const job = await startJob(engine.ctx, session.id, {}, spec);
    expect(job.number).toBe(1);
    const rows = await engine.db.client.execute("SELECT number FROM jobs");
    expect(rows.rows.map((row) => Number(row.number))).toEqual([1]);
  });
});
