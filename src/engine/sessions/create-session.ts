import { eq } from "drizzle-orm";
import { sessions } from "../../../db/schema.ts";
import { checkSessionRights, type SessionRights } from "../access/session-rights.ts";
import { Change, type EngineContext } from "../context.ts";
import { ConflictError, TooManyRequestsError, UnprocessableError } from "../errors.ts";
import { newId } from "../ids.ts";
import type { ClientInfo, Requirement, Session } from "../model.ts";
import { poolKey } from "../requirements.ts";
import { sessionFromRow } from "../rows.ts";
import { promoteWaitingSessions } from "../scheduler.ts";
import { findSlot, testSlot } from "../time/slots.ts";
import type { JournalQuery } from "../write-journal.ts";
import { explainWait } from "./explain-wait.ts";

export interface CreateSessionInput {
  requirements: Requirement[];
  priority: number;
  client: ClientInfo;
  idempotencyKey: string | null;
  compat: boolean;
  /** Refuse (422) a session that no registered host could ever serve, instead of queueing it. */
  strict: boolean;
  /** How long it may stay active; the broker's default when null. */
  walltimeMs?: number | null;
  /** A reservation: book the hosts for [startAt, startAt + walltime) instead of queueing. */
  startAt?: number | null;
  /** Who it belongs to: only they (and admins) may act in it. */
  owner: { id: string; name: string } | null;
  /** What the owner may ask for beyond the default (null: anything). */
  rights?: SessionRights | null;
}

/** How far ahead the next free slot is looked for when a reservation is refused. */
const NEXT_SLOT_HORIZON_MS = 30 * 24 * 3_600_000;
const NEXT_SLOT_STEP_MS = 60_000;

/**
 * Queues a session and starts it at once if it can start, or books a reservation. The same
 * idempotency key returns the session it first created (even if that one has ended): a retried CI
 * step never books twice.
 */
export async function createSession(ctx: EngineContext, input: CreateSessionInput): Promise<{ session: Session; created: boolean }> {
  if (input.idempotencyKey) {
    const existing = await findByIdempotencyKey(ctx, input.idempotencyKey);
    // Another owner's key must not hand out their session.
    if (existing && existing.ownerId !== (input.owner?.id ?? null)) {
      throw new ConflictError("This Idempotency-Key was used by another client; choose a key of your own");
    }
    if (existing) return { session: existing, created: false };
  }
  const now = ctx.clock.now();
  const walltimeMs = input.walltimeMs ?? ctx.settings.defaultWalltimeMs;
  if (walltimeMs !== null && walltimeMs > ctx.settings.maxWalltimeMs) {
    throw new UnprocessableError(
      `walltime ${walltimeMs / 1000} s is longer than this broker's maximum of ${ctx.settings.maxWalltimeMs / 1000} s`,
    );
  }
  checkSessionRights(input.rights ?? null, { priority: input.priority, walltimeMs, reservation: (input.startAt ?? null) !== null });
  refuseWhenQueueFull(ctx);
  const session: Session = {
    id: newId(now),
    seq: ctx.state.sessions.nextSeq(),
    state: "waiting",
    endReason: null,
    priority: input.priority,
    requirements: input.requirements,
    client: input.client,
    compat: input.compat,
    idempotencyKey: input.idempotencyKey,
    assignments: null,
    createdAt: now,
    activatedAt: null,
    endedAt: null,
    lastSeenAt: now,
    walltimeMs,
    startAt: input.startAt ?? null,
    hostFacts: null,
    ownerId: input.owner?.id ?? null,
    ownerName: input.owner?.name ?? null,
    poolKey: poolKey(input.requirements, walltimeMs),
  };
  const change = new Change(ctx);
  change.write(session.startAt !== null ? bookReservation(ctx, session, now) : queueSession(ctx, session, input.strict));
  change.emit("session.created", { sessionId: session.id }, {
    priority: session.priority,
    requirements: session.requirements,
    client: session.client,
    walltimeMs,
    startAt: session.startAt,
    owner: session.ownerName,
  });
  if (session.state === "scheduled") {
    change.emit("session.scheduled", { sessionId: session.id }, { startAt: session.startAt, hosts: session.assignments });
  }
  promoteWaitingSessions(ctx, change);
  await change.commit();
  return { session, created: true };
}

/** Seconds a client refused for a full queue is told to wait before it tries again. */
const QUEUE_FULL_RETRY_S = 30;

function refuseWhenQueueFull(ctx: EngineContext): void {
  const waiting = ctx.state.sessions.waitingCount() + ctx.state.sessions.scheduledCount();
  if (waiting < ctx.settings.maxWaitingSessions) return;
  throw new TooManyRequestsError(
    `The queue is full: ${waiting} sessions are waiting or reserved, this broker's maximum (--max-waiting); nothing was queued. Try again later.`,
    QUEUE_FULL_RETRY_S,
  );
}

function queueSession(ctx: EngineContext, session: Session, strict: boolean): JournalQuery {
  const insert = ctx.state.sessions.enqueue(session);
  if (!strict) return insert;
  const wait = explainWait(ctx, session);
  if (!wait.unsatisfiable) return insert;
  ctx.state.sessions.dropRefused(session);
  throw new UnprocessableError(`This session can never start: ${wait.reason}`);
}

/** Confirms the booking on hosts free for its whole interval, or refuses it naming the next slot that would work. */
function bookReservation(ctx: EngineContext, session: Session, now: number): JournalQuery {
  const startAt = session.startAt!;
  if (startAt < now) throw new UnprocessableError(`start_at ${new Date(startAt).toISOString()} is in the past`);
  if (session.walltimeMs === null) {
    throw new UnprocessableError("A reservation needs a walltime: the hosts are booked for [start_at, start_at + walltime)");
  }
  const slot = testSlot(ctx, [session.requirements], startAt, session.walltimeMs);
  if (!slot) {
    const next = findSlot(ctx, [session.requirements], session.walltimeMs, startAt, startAt + NEXT_SLOT_HORIZON_MS, NEXT_SLOT_STEP_MS);
    throw new ConflictError(
      next
        ? `The matching hosts are booked or held then; the next slot that would work starts at ${new Date(next.start).toISOString()}`
        : "No matching hosts are free for that long in the next 30 days",
      { next_start_at: next ? new Date(next.start).toISOString() : null },
    );
  }
  return ctx.state.sessions.book(session, Object.fromEntries(Object.entries(slot.hosts[0]!).map(([role, host]) => [role, host.id])));
}

async function findByIdempotencyKey(ctx: EngineContext, key: string): Promise<Session | undefined> {
  const live = ctx.state.sessions.byIdempotencyKey(key);
  if (live) return live;
  const [row] = await ctx.orm.select().from(sessions).where(eq(sessions.idempotencyKey, key)).limit(1);
  // Re-check: a concurrent request may have created it while the lookup ran.
  return ctx.state.sessions.byIdempotencyKey(key) ?? (row ? (ctx.state.sessions.find(row.id) ?? sessionFromRow(row)) : undefined);
}
