import { and, desc, eq, isNotNull, max, ne } from "drizzle-orm";
import type { Orm } from "../../../db/connect.ts";
import { createSessionStatements, type SessionStatements } from "../../../db/hot-statements.ts";
import { sessions } from "../../../db/schema.ts";
import type { HostStore } from "../hosts/host-store.ts";
import type { EndReason, Host, Session } from "../model.ts";
import { RecentMap } from "../recent-map.ts";
import { poolKey } from "../requirements.ts";
import { sessionFromRow, sessionToRow } from "../rows.ts";
import { SessionQueue } from "../session-queue.ts";
import type { JournalQuery } from "../write-journal.ts";
import { Bookings } from "./bookings.ts";

const RECENTLY_ENDED_KEPT = 10_000;
const RECENT_DURATIONS_LOADED = 500;
const DURATIONS_KEPT_PER_POOL = 50;

/** What the rest of the engine may ask the waiting queue; only the store's verbs change it. */
export type WaitingQueue = Pick<SessionQueue, "size" | "pools" | "pool" | "candidates" | "countAhead" | "placeOf" | "inOrder">;

/**
 * The sessions aggregate: every session that has not ended (by id and by idempotency key), the
 * recently ended ones, the waiting queue, the reservations by booked host, and what only memory
 * knows (last-seen times not yet persisted, requests in flight, walltime warnings, recent
 * durations). Each verb changes memory at once and returns the statement the caller commits:
 * nothing can change a session between the check and the change.
 */
export class SessionStore {
  readonly #hosts: HostStore;
  readonly #statements: SessionStatements;
  readonly #orm: Orm;
  readonly #live = new Map<string, Session>();
  readonly #recentlyEnded = new RecentMap<string, Session>(RECENTLY_ENDED_KEPT);
  readonly #byIdempotencyKey = new Map<string, Session>();
  readonly #queue: SessionQueue;
  readonly #lastSeenDirty = new Set<Session>();
  /** Requests in flight per session: it is alive whatever its last-seen time. */
  readonly #requestsInFlight = new Map<string, number>();
  readonly #walltimeWarned = new Set<string>();
  readonly #bookings = new Bookings();
  /** Recent durations per pool (ms), newest last: the basis of estimates without walltimes. */
  readonly #recentDurations = new Map<string, number[]>();
  #nextSeq = 1;
  /** The waiting queue's queries. */
  readonly queue: WaitingQueue;

  constructor(orm: Orm, hosts: HostStore) {
    this.#orm = orm;
    this.#hosts = hosts;
    this.#statements = createSessionStatements(orm);
    this.#queue = new SessionQueue(() => hosts.all());
    hosts.onMatchChanged(() => this.#queue.hostsChanged());
    this.queue = this.#queue;
  }

  /**
   * Loads the live sessions (their hosts' holders too) and recent durations. Last-seen times are
   * lifted to `now`: a client gets a full timeout window after a broker restart.
   */
  static async load(orm: Orm, hosts: HostStore, now: number): Promise<SessionStore> {
    const store = new SessionStore(orm, hosts);
    for (const row of await orm.select().from(sessions).where(ne(sessions.state, "ended")).orderBy(sessions.seq)) {
      const session = sessionFromRow(row);
      session.lastSeenAt = Math.max(session.lastSeenAt, now);
      store.#addLive(session);
      if (session.state === "waiting") store.#queue.add(session);
      if (session.state === "scheduled") store.#bookings.add(session);
      if (session.state === "active") {
        for (const hostId of Object.values(session.assignments ?? {})) hosts.get(hostId)?.holders.add(session.id);
      }
    }
    const finished = await orm
      .select()
      .from(sessions)
      .where(and(eq(sessions.state, "ended"), isNotNull(sessions.activatedAt)))
      .orderBy(desc(sessions.seq))
      .limit(RECENT_DURATIONS_LOADED);
    for (const row of finished.reverse()) store.#recordDuration(sessionFromRow(row).poolKey, row.endedAt! - row.activatedAt!);
    const [top] = await orm.select({ seq: max(sessions.seq) }).from(sessions);
    store.#nextSeq = (top?.seq ?? 0) + 1;
    return store;
  }

  /** A live session (waiting, reserved or active). */
  get(sessionId: string): Session | undefined {
    return this.#live.get(sessionId);
  }

  has(sessionId: string): boolean {
    return this.#live.has(sessionId);
  }

  /** A live or recently ended session. */
  find(sessionId: string): Session | undefined {
    return this.#live.get(sessionId) ?? this.#recentlyEnded.get(sessionId);
  }

  /** The live session created with this idempotency key. */
  byIdempotencyKey(key: string): Session | undefined {
    return this.#byIdempotencyKey.get(key);
  }

  /** Every live session (not a copy: a caller that ends sessions while it walks them copies first). */
  all(): IterableIterator<Session> {
    return this.#live.values();
  }

  get liveCount(): number {
    return this.#live.size;
  }

  waitingCount(): number {
    return this.#queue.size;
  }

  /** Reservations not yet started. */
  scheduledCount(): number {
    return this.#bookings.count;
  }

  /** The reservations booked on a host. */
  bookingsOn(hostId: string): readonly Session[] | undefined {
    return this.#bookings.on(hostId);
  }

  /** How long recent sessions of the pool held their hosts (ms), newest last. */
  recentDurations(poolKey: string): readonly number[] {
    return this.#recentDurations.get(poolKey) ?? [];
  }

  hasRequestInFlight(sessionId: string): boolean {
    return this.#requestsInFlight.has(sessionId);
  }

  /** The sequence number of the next session to arrive. */
  nextSeq(): number {
    return this.#nextSeq++;
  }

  /** Records a new session in the waiting queue. */
  enqueue(session: Session): JournalQuery {
    this.#queue.add(session);
    this.#addLive(session);
    return this.#statements.insertSession(sessionToRow(session));
  }

  /** Forgets a session `enqueue` took that is refused before its statement is committed. */
  dropRefused(session: Session): void {
    this.#queue.remove(session);
    this.#live.delete(session.id);
    if (session.idempotencyKey) this.#byIdempotencyKey.delete(session.idempotencyKey);
  }

  /** Records a new reservation on the hosts booked for it. */
  book(session: Session, assignments: Record<string, string>): JournalQuery {
    session.state = "scheduled";
    session.assignments = assignments;
    this.#bookings.add(session);
    this.#addLive(session);
    return this.#statements.insertSession(sessionToRow(session));
  }

  /** A reservation is due: it no longer books its hosts (it starts on them, or on others, or fails). */
  unbook(session: Session): void {
    this.#bookings.remove(session);
  }

  /** Starts a session on `chosen`, one host per requirement in order. */
  activate(session: Session, chosen: readonly Host[], hostFacts: Record<string, Record<string, unknown>>, now: number): JournalQuery {
    this.#queue.remove(session);
    session.state = "active";
    session.assignments = Object.fromEntries(session.requirements.map((requirement, index) => [requirement.role, chosen[index]!.id]));
    session.activatedAt = now;
    session.lastSeenAt = now;
    session.hostFacts = hostFacts;
    for (const host of chosen) host.holders.add(session.id);
    return this.#statements.activateSession({
      id: session.id,
      assignments: session.assignments,
      activatedAt: now,
      lastSeenAt: now,
      hostFacts,
    });
  }

  /** Ends a live session: it leaves the queue, its booking or its hosts, and stays answerable from memory a while. */
  end(session: Session, reason: EndReason, now: number): JournalQuery {
    if (session.state === "waiting") this.#queue.remove(session);
    if (session.state === "scheduled") this.unbook(session);
    if (session.state === "active" && session.activatedAt !== null) this.#recordDuration(session.poolKey, now - session.activatedAt);
    for (const hostId of Object.values(session.assignments ?? {})) this.#hosts.get(hostId)?.holders.delete(session.id);
    this.#walltimeWarned.delete(session.id);
    session.state = "ended";
    session.endReason = reason;
    session.endedAt = now;
    this.#live.delete(session.id);
    this.#lastSeenDirty.delete(session);
    if (session.idempotencyKey) this.#byIdempotencyKey.delete(session.idempotencyKey);
    this.#recentlyEnded.set(session.id, session);
    return this.#statements.endSession({ id: session.id, endReason: reason, endedAt: now, lastSeenAt: session.lastSeenAt });
  }

  /** A new walltime: a waiting session moves to the pool of its new requirements, and may be warned again. */
  changeWalltime(session: Session, walltimeMs: number): JournalQuery {
    const waiting = session.state === "waiting";
    if (waiting) this.#queue.remove(session);
    session.walltimeMs = walltimeMs;
    session.poolKey = poolKey(session.requirements, walltimeMs);
    if (waiting) this.#queue.add(session);
    this.#walltimeWarned.delete(session.id);
    return this.#saveWalltime(session);
  }

  /** A reservation started late (the broker was down) still ends when it was booked to end. */
  shortenLateReservation(session: Session, walltimeMs: number): JournalQuery {
    session.walltimeMs = walltimeMs;
    return this.#saveWalltime(session);
  }

  /** True the first time it is asked for a session (until its walltime changes). */
  warnWalltimeOnce(sessionId: string): boolean {
    if (this.#walltimeWarned.has(sessionId)) return false;
    this.#walltimeWarned.add(sessionId);
    return true;
  }

  /** A sign of life, kept in memory until the next `flushLastSeen`. */
  touch(session: Session, now: number): void {
    session.lastSeenAt = now;
    this.#lastSeenDirty.add(session);
  }

  /** The statements of the last-seen times that changed in memory since the previous flush. */
  flushLastSeen(): JournalQuery[] {
    const statements = [...this.#lastSeenDirty].map((session) =>
      this.#statements.touchSession({ id: session.id, lastSeenAt: session.lastSeenAt })
    );
    this.#lastSeenDirty.clear();
    return statements;
  }

  requestStarted(sessionId: string): void {
    this.#requestsInFlight.set(sessionId, (this.#requestsInFlight.get(sessionId) ?? 0) + 1);
  }

  requestEnded(sessionId: string): void {
    const left = (this.#requestsInFlight.get(sessionId) ?? 1) - 1;
    if (left > 0) this.#requestsInFlight.set(sessionId, left);
    else this.#requestsInFlight.delete(sessionId);
  }

  /** Forgets ended sessions whose rows retention deleted. */
  forgetEnded(sessionIds: readonly string[]): void {
    for (const id of sessionIds) this.#recentlyEnded.delete(id);
  }

  #saveWalltime(session: Session): JournalQuery {
    return this.#orm.update(sessions).set({ walltimeMs: session.walltimeMs }).where(eq(sessions.id, session.id));
  }

  #addLive(session: Session): void {
    this.#live.set(session.id, session);
    if (session.idempotencyKey) this.#byIdempotencyKey.set(session.idempotencyKey, session);
  }

  #recordDuration(poolKey: string, durationMs: number): void {
    this.#recentDurations.set(poolKey, [...(this.#recentDurations.get(poolKey) ?? []), durationMs].slice(-DURATIONS_KEPT_PER_POOL));
  }
}
