import { asc, count, eq } from "drizzle-orm";
import { sessionResults } from "../../../db/schema.ts";
import { Change, type EngineContext } from "../context.ts";
import { ConflictError, LockedError, UnprocessableError } from "../errors.ts";
import { newId } from "../ids.ts";
import { findSession } from "../sessions/find-session.ts";

export type SessionResult = typeof sessionResults.$inferSelect;

/** Results one session may record; a test recording more is looping. */
export const MAX_RESULTS_PER_SESSION = 10_000;

export interface ResultInput {
  description: string;
  verdict: "PASS" | "FAIL";
  data: unknown;
}

/** Records a result of the active session's own (LNST's custom result), shown in its summary beside its jobs. */
export async function addSessionResult(ctx: EngineContext, sessionId: string, input: ResultInput): Promise<SessionResult> {
  const session = await findSession(ctx, sessionId);
  if (session.state === "ended") throw new ConflictError(`Session "${session.id}" has ended; it records no more results`);
  if (session.state !== "active") throw new LockedError(`Session "${session.id}" is not active`);
  const [recorded] = await ctx.orm.select({ n: count() }).from(sessionResults).where(eq(sessionResults.sessionId, session.id));
  if ((recorded?.n ?? 0) >= MAX_RESULTS_PER_SESSION) {
    throw new UnprocessableError(`Session "${session.id}" already has ${MAX_RESULTS_PER_SESSION} results, the most one session may record`);
  }
  const now = ctx.clock.now();
  const result: SessionResult = {
    id: newId(now),
    sessionId: session.id,
    description: input.description,
    verdict: input.verdict,
    data: input.data ?? null,
    createdAt: now,
  };
  const change = new Change(ctx);
  change.write(ctx.orm.insert(sessionResults).values(result));
  change.emit("session.result", { sessionId: session.id }, {
    resultId: result.id,
    verdict: result.verdict,
    description: result.description,
  });
  await change.commit();
  return result;
}

/** A session's recorded results, oldest first. */
export async function listSessionResults(ctx: EngineContext, sessionId: string): Promise<SessionResult[]> {
  return ctx.orm.select().from(sessionResults).where(eq(sessionResults.sessionId, sessionId)).orderBy(
    asc(sessionResults.createdAt),
    asc(sessionResults.id),
  );
}
