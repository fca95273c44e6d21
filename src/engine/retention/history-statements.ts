import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Orm } from "../../../db/connect.ts";
import { events, hostChanges, jobs, labFiles, labs, sessionResults, sessions, workItems, workOutput } from "../../../db/schema.ts";
import type { JournalQuery } from "../write-journal.ts";

export type RowKey = string | number;

/**
 * One kind of history that retention removes. `select` names at most `limit` rows that may go
 * (`from`: rows before it are known to be done, for kinds that update instead of deleting);
 * `remove` removes exactly those, so one batch is one short commit. A row of a session that has
 * not ended is never selected: a running session's history stays whole, however old.
 */
export interface HistoryKind {
  /** What the operator reads in the log. */
  name: string;
  /** Keys per batch: rows, or labs for their files. */
  batch: number;
  select(before: number, limit: number, from: number): SQL;
  remove(orm: Orm, keys: RowKey[]): JournalQuery;
}

const notLive = (column: SQL) =>
  sql`(${column} IS NULL OR NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = ${column} AND s.state <> 'ended'))`;
const finishedWork = (before: number) => sql`w.state IN ('done', 'failed') AND w.finished_at < ${before} AND ${notLive(sql`w.session_id`)}`;

/** Raw history, oldest first: what `--retention-days` bounds. Output goes before the work it belongs to. */
export const RAW_HISTORY: readonly HistoryKind[] = [
  {
    name: "events",
    batch: 500,
    select: (before, limit) =>
      sql`SELECT e.id AS key FROM events e WHERE e.at < ${before} AND ${notLive(sql`e.session_id`)} ORDER BY e.id LIMIT ${limit}`,
    remove: (orm, keys) => orm.delete(events).where(inArray(events.id, keys as number[])),
  },
  {
    name: "work output lines",
    batch: 500,
    select: (before, limit) =>
      sql`SELECT o.id AS key FROM work_items w JOIN work_output o ON o.work_id = w.id WHERE ${finishedWork(before)} LIMIT ${limit}`,
    remove: (orm, keys) => orm.delete(workOutput).where(inArray(workOutput.id, keys as number[])),
  },
  {
    name: "work items",
    batch: 500,
    select: (before, limit) =>
      sql`SELECT w.id AS key FROM work_items w WHERE ${
        finishedWork(before)
      } AND NOT EXISTS (SELECT 1 FROM work_output o WHERE o.work_id = w.id) ORDER BY w.finished_at LIMIT ${limit}`,
    remove: (orm, keys) => orm.delete(workItems).where(inArray(workItems.id, keys as string[])),
  },
  {
    name: "lab uploads",
    batch: 50,
    select: (before, limit) =>
      sql`SELECT l.id AS key FROM labs l WHERE l.state = 'inactive' AND l.updated_at < ${before} AND EXISTS (SELECT 1 FROM lab_files f WHERE f.lab_id = l.id) LIMIT ${limit}`,
    remove: (orm, keys) => orm.delete(labFiles).where(inArray(labFiles.labId, keys as string[])),
  },
  {
    // The result (exit code, pass/fail, parsed JSON) stays with the summary, marked `outputDeleted`.
    name: "job outputs",
    batch: 500,
    select: (before, limit, from) =>
      sql`SELECT j.id AS key FROM sessions s JOIN jobs j ON j.session_id = s.id WHERE s.state = 'ended' AND s.ended_at >= ${from} AND s.ended_at < ${before} AND j.outcome IS NOT NULL AND json_extract(j.outcome, '$.outputDeleted') IS NULL LIMIT ${limit}`,
    remove: (orm, keys) =>
      orm
        .update(jobs)
        .set({ outcome: sql`json_set(json_remove(${jobs.outcome}, '$.stdout', '$.stderr'), '$.outputDeleted', json('true'))` })
        .where(inArray(jobs.id, keys as string[])),
  },
];

/** Ended sessions, oldest first: what `--summary-retention-days` bounds. */
export function selectEndedSessions(before: number, limit: number): SQL {
  return sql`SELECT id AS key FROM sessions WHERE state = 'ended' AND ended_at < ${before} ORDER BY ended_at LIMIT ${limit}`;
}

/** Everything the sessions left, the session rows last (a batch cut short is finished by the next). */
export function deleteSessionsCompletely(orm: Orm, ids: string[]): JournalQuery[] {
  const theirWork = orm.select({ id: workItems.id }).from(workItems).where(inArray(workItems.sessionId, ids));
  const theirLabs = and(inArray(labs.sessionId, ids), eq(labs.state, "inactive"));
  return [
    orm.delete(events).where(inArray(events.sessionId, ids)),
    orm.delete(workOutput).where(inArray(workOutput.workId, theirWork)),
    orm.delete(workItems).where(inArray(workItems.sessionId, ids)),
    orm.delete(jobs).where(inArray(jobs.sessionId, ids)),
    orm.delete(sessionResults).where(inArray(sessionResults.sessionId, ids)),
    orm.delete(hostChanges).where(inArray(hostChanges.sessionId, ids)),
    orm.delete(labFiles).where(inArray(labFiles.labId, orm.select({ id: labs.id }).from(labs).where(theirLabs))),
    orm.delete(labs).where(theirLabs),
    orm.delete(sessions).where(and(inArray(sessions.id, ids), eq(sessions.state, "ended"))),
  ];
}
