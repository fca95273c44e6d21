import { and, desc, eq, isNotNull, max, ne } from "drizzle-orm";
import type { Orm } from "../../db/connect.ts";
import { sessions } from "../../db/schema.ts";
import { HostChangeStore } from "./devices/host-change-store.ts";
import { HostStore } from "./hosts/host-store.ts";
import { JobStore } from "./jobs/job-store.ts";
import { LabStore } from "./labs/lab-store.ts";
import type { Session } from "./model.ts";
import { RecentMap } from "./recent-map.ts";
import { sessionFromRow } from "./rows.ts";
import { SessionQueue } from "./session-queue.ts";
import { WorkStore } from "./work/work-store.ts";

const RECENTLY_ENDED_KEPT = 10_000;
const RECENT_DURATIONS_LOADED = 500;

/**
 * The broker's live working set: every session that has not ended, plus the waiting queue, and the
 * stores of hosts, open work, unfinished jobs, live labs and unrestored device changes (each owns
 * its memory and the statements that record it). It is rebuilt from the database at start (and
 * after a failed commit), so the database stays the source of truth.
 */
export class BrokerState {
  readonly sessions = new Map<string, Session>();
  readonly recentlyEnded = new RecentMap<string, Session>(RECENTLY_ENDED_KEPT);
  readonly byIdempotencyKey = new Map<string, Session>();
  readonly queue: SessionQueue;
  /** Sessions whose last-seen time changed in memory only (persisted by a periodic flush). */
  readonly lastSeenDirty = new Set<Session>();
  /** Sessions with a request in flight (counted), alive whatever their last-seen time. */
  readonly busySessions = new Map<string, number>();
  /** Active sessions already warned that their walltime is running out. */
  readonly walltimeWarned = new Set<string>();
  /** Reservations (scheduled sessions) by booked host. */
  readonly bookings = new Map<string, Session[]>();
  readonly #scheduled = new Set<string>();
  /** Recent session durations per pool (ms), newest last: the basis of estimates without walltimes. */
  readonly recentDurations = new Map<string, number[]>();
  nextSeq = 1;

  constructor(
    readonly hosts: HostStore,
    readonly work: WorkStore,
    readonly jobs: JobStore,
    readonly labs: LabStore,
    readonly hostChanges: HostChangeStore,
  ) {
    this.queue = new SessionQueue(() => hosts.all());
    hosts.onMatchChanged(() => this.queue.hostsChanged());
  }

  /**
   * Loads the stores and live sessions. Last-seen times are lifted to `now`: a client or agent gets
   * a full timeout window after a broker restart instead of being reaped for the broker's downtime.
   */
  static async load(orm: Orm, now: number): Promise<BrokerState> {
    const work = await WorkStore.load(orm);
    const state = new BrokerState(
      await HostStore.load(orm, now),
      work,
      await JobStore.load(orm, work),
      await LabStore.load(orm),
      await HostChangeStore.load(orm),
    );
    const liveRows = await orm.select().from(sessions).where(ne(sessions.state, "ended")).orderBy(sessions.seq);
    for (const row of liveRows) {
      const session = sessionFromRow(row);
      session.lastSeenAt = Math.max(session.lastSeenAt, now);
      state.sessions.set(session.id, session);
      if (session.idempotencyKey) state.byIdempotencyKey.set(session.idempotencyKey, session);
      if (session.state === "waiting") state.queue.add(session);
      if (session.state === "scheduled") state.addBooking(session);
      if (session.state === "active") {
        for (const hostId of Object.values(session.assignments ?? {})) state.hosts.get(hostId)?.holders.add(session.id);
      }
    }
    const finished = await orm
      .select()
      .from(sessions)
      .where(and(eq(sessions.state, "ended"), isNotNull(sessions.activatedAt)))
      .orderBy(desc(sessions.seq))
      .limit(RECENT_DURATIONS_LOADED);
    for (const row of finished.reverse()) state.recordDuration(sessionFromRow(row).poolKey, row.endedAt! - row.activatedAt!);
    const [top] = await orm.select({ seq: max(sessions.seq) }).from(sessions);
    state.nextSeq = (top?.seq ?? 0) + 1;
    return state;
  }

  /** Reservations not yet started. */
  scheduledCount(): number {
    return this.#scheduled.size;
  }

  addBooking(session: Session): void {
    this.#scheduled.add(session.id);
    for (const hostId of Object.values(session.assignments ?? {})) {
      this.bookings.set(hostId, [...(this.bookings.get(hostId) ?? []), session]);
    }
  }

  removeBooking(session: Session): void {
    this.#scheduled.delete(session.id);
    for (const [hostId, booked] of this.bookings) {
      const left = booked.filter((entry) => entry !== session);
      if (left.length) this.bookings.set(hostId, left);
      else this.bookings.delete(hostId);
    }
  }

  /** Remembers how long a session of `poolKey` held its hosts (the last 50 per pool). */
  recordDuration(poolKey: string, durationMs: number): void {
    const durations = [...(this.recentDurations.get(poolKey) ?? []), durationMs].slice(-50);
    this.recentDurations.set(poolKey, durations);
  }

  /** A live or recently ended session. */
  findSession(id: string): Session | undefined {
    return this.sessions.get(id) ?? this.recentlyEnded.get(id);
  }

  waitingCount(): number {
    return this.queue.size;
  }
}
