import { and, eq, isNull, max } from "drizzle-orm";
import type { Orm } from "../../../db/connect.ts";
import { jobs } from "../../../db/schema.ts";
import type { WorkStore } from "../work/work-store.ts";
import type { JournalQuery } from "../write-journal.ts";
import type { JobRecord, JobState } from "./job.ts";

/**
 * The jobs aggregate: jobs without an outcome, the per-host job numbers of live sessions, and the
 * statements that record jobs. A job runs as a work item, so its state is read from the work store.
 * Each verb changes memory at once and returns the statement the caller commits.
 */
export class JobStore {
  readonly #orm: Orm;
  readonly #work: WorkStore;
  readonly #unfinished = new Map<string, JobRecord>();
  /** Next job number per `session:host` (seeded from the database on first use). */
  readonly #numbers = new Map<string, number>();

  constructor(orm: Orm, work: WorkStore) {
    this.#orm = orm;
    this.#work = work;
  }

  static async load(orm: Orm, work: WorkStore): Promise<JobStore> {
    const store = new JobStore(orm, work);
    for (const job of await orm.select().from(jobs).where(isNull(jobs.outcome))) store.#unfinished.set(job.id, job);
    return store;
  }

  /** A job without an outcome, or one whose outcome is not committed yet (the stored row lacks it then). */
  get(jobId: string): JobRecord | undefined {
    return this.#unfinished.get(jobId);
  }

  /** The session's jobs without an outcome. */
  unfinishedInSession(sessionId: string): JobRecord[] {
    return [...this.#unfinished.values()].filter((job) => job.sessionId === sessionId && !job.outcome);
  }

  /** A job is queued until its agent has it, running until its outcome is in, then finished. */
  stateOf(job: JobRecord): JobState {
    if (job.outcome) return "finished";
    const work = this.#work.findOpen(job.workId);
    return work?.state === "dispatched" ? "running" : work ? "queued" : "finished";
  }

  /** Job numbers count up per host within a session; the counter is seeded once from the database. */
  async nextNumber(sessionId: string, hostId: string): Promise<number> {
    const key = `${sessionId}:${hostId}`;
    if (!this.#numbers.has(key)) {
      const [top] = await this.#orm.select({ number: max(jobs.number) }).from(jobs).where(
        and(eq(jobs.sessionId, sessionId), eq(jobs.hostId, hostId)),
      );
      // Seeded only now: another job of the host may have been numbered during the read.
      if (!this.#numbers.has(key)) this.#numbers.set(key, top?.number ?? 0);
    }
    const next = this.#numbers.get(key)! + 1;
    this.#numbers.set(key, next);
    return next;
  }

  /** Records a job just queued for its host's agent. */
  queue(job: JobRecord): JournalQuery {
    this.#unfinished.set(job.id, job);
    return this.#orm.insert(jobs).values(job);
  }

  /** Gives a job its outcome; the caller forgets it once that is committed (`forgetFinished`). */
  finish(job: JobRecord, outcome: Record<string, unknown>, now: number): JournalQuery {
    job.outcome = outcome;
    job.finishedAt = now;
    return this.#orm.update(jobs).set({ outcome, finishedAt: now }).where(eq(jobs.id, job.id));
  }

  /** Drops a finished job from memory: its committed row now has the outcome. */
  forgetFinished(job: JobRecord): void {
    this.#unfinished.delete(job.id);
  }

  /** Drops the job numbering of an ended session (it runs no more jobs). */
  forgetSession(sessionId: string): void {
    for (const key of this.#numbers.keys()) if (key.startsWith(`${sessionId}:`)) this.#numbers.delete(key);
  }
}
