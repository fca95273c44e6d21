import { eq } from "drizzle-orm";
import { sessions } from "../../../db/schema.ts";
import { Change, type EngineContext } from "../context.ts";
import { newId } from "../ids.ts";
import { UnprocessableError } from "../errors.ts";
import type { ClientInfo, Requirement, Session } from "../model.ts";
import { poolKey } from "../requirements.ts";
import { sessionFromRow, sessionToRow } from "../rows.ts";
import { promoteWaitingSessions } from "../scheduler.ts";
import { explainWait } from "./explain-wait.ts";

export interface CreateSessionInput {
  requirements: Requirement[];
  priority: number;
  client: ClientInfo;
  idempotencyKey: string | null;
  compat: boolean;
  /** Refuse (422) a session that no registered host could ever serve, instead of queueing it. */
  strict: boolean;
}

/**
 * Queues a session and starts it at once if it can start. The same idempotency key returns the
 * session it first created (even if that one has ended): a retried CI step never books twice.
 */
export async function createSession(ctx: EngineContext, input: CreateSessionInput): Promise<{ session: Session; created: boolean }> {
  if (input.idempotencyKey) {
    const existing = await findByIdempotencyKey(ctx, input.idempotencyKey);
    if (existing) return { session: existing, created: false };
  }
  const now = ctx.clock.now();
  const session: Session = {
    id: newId(now),
    seq: ctx.state.nextSeq++,
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
    poolKey: poolKey(input.requirements),
  };
  const { state } = ctx;
  state.queue.add(session);
  if (input.strict) {
    const wait = explainWait(ctx, session);
    if (wait.unsatisfiable) {
      state.queue.remove(session);
      throw new UnprocessableError(`This session can never start: ${wait.reason}`);
    }
  }
  state.sessions.set(session.id, session);
  if (session.idempotencyKey) state.byIdempotencyKey.set(session.idempotencyKey, session);
  const change = new Change(ctx);
  change.write(ctx.statements.insertSession(sessionToRow(session)));
  change.emit("session.created", { sessionId: session.id }, { priority: session.priority, requirements: session.requirements, client: session.client });
  promoteWaitingSessions(ctx, change);
  await change.commit();
  return { session, created: true };
}

async function findByIdempotencyKey(ctx: EngineContext, key: string): Promise<Session | undefined> {
  const live = ctx.state.byIdempotencyKey.get(key);
  if (live) return live;
  const [row] = await ctx.orm.select().from(sessions).where(eq(sessions.idempotencyKey, key)).limit(1);
  // Re-check: a concurrent request may have created it while the lookup ran.
  return ctx.state.byIdempotencyKey.get(key) ?? (row ? (ctx.state.findSession(row.id) ?? sessionFromRow(row)) : undefined);
}
