import { and, desc, eq, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { sessions } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { Session, SessionState } from "../model.ts";
import { sessionFromRow } from "../rows.ts";

/** A live or recently ended session, from memory only (undefined for older ones). */
export function recentSession(ctx: EngineContext, sessionId: string): Session | undefined {
  return ctx.state.sessions.find(sessionId);
}

/** A live session (waiting, reserved or active). */
export function liveSession(ctx: EngineContext, sessionId: string): Session | undefined {
  return ctx.state.sessions.get(sessionId);
}

/** Any session: live or recently ended from memory, older ones from the database. */
export async function findSession(ctx: EngineContext, sessionId: string): Promise<Session> {
  const known = ctx.state.sessions.find(sessionId);
  if (known) return known;
  const [row] = await ctx.orm.select().from(sessions).where(eq(sessions.id, sessionId)).limit(1);
  if (!row) throw new NotFoundError(`Cannot find session "${sessionId}"`);
  return ctx.state.sessions.find(sessionId) ?? sessionFromRow(row);
}

export interface SessionFilter {
  state?: SessionState;
  hostId?: string;
  clientName?: string;
  /** Only sessions whose id, client name, CI job id, end reason or a held host's name contains this (any case). */
  text?: string;
  /** Only sessions that arrived before this sequence number (paging backwards). */
  beforeSeq?: number;
  limit: number;
}

/**
 * Live sessions come from memory: active (and reserved) ones by arrival, then waiting ones in the
 * order the scheduler considers them; ended ones from the database, newest first. Without a state
 * filter, live sessions are listed.
 */
export async function listSessions(ctx: EngineContext, filter: SessionFilter): Promise<Session[]> {
  const needle = filter.text?.toLowerCase();
  const namedHostIds = needle
    ? [...ctx.state.hosts.all()].filter((host) => host.name.toLowerCase().includes(needle)).map((host) => host.id)
    : [];
  const matchesText = (session: Session) =>
    !needle ||
    [session.id, session.client.name, session.client.ci_job_id, session.endReason].some((field) => field?.toLowerCase().includes(needle)) ||
    Object.values(session.assignments ?? {}).some((hostId) => namedHostIds.includes(hostId));
  const matches = (session: Session) =>
    matchesText(session) &&
    (!filter.hostId || Object.values(session.assignments ?? {}).includes(filter.hostId)) &&
    (!filter.clientName || session.client.name === filter.clientName) &&
    (filter.beforeSeq === undefined || session.seq < filter.beforeSeq);
  if (filter.state !== "ended") {
    const holding = [...ctx.state.sessions.all()].filter((session) => session.state !== "waiting").sort((a, b) => a.seq - b.seq);
    return [...holding, ...ctx.state.sessions.queue.inOrder()]
      .filter((session) => (!filter.state || session.state === filter.state) && matches(session))
      .slice(0, filter.limit);
  }
  const conditions: SQL[] = [eq(sessions.state, "ended")];
  if (filter.beforeSeq !== undefined) conditions.push(lt(sessions.seq, filter.beforeSeq));
  if (filter.clientName) conditions.push(sql`json_extract(${sessions.client}, '$.name') = ${filter.clientName}`);
  if (filter.hostId) conditions.push(sql`exists (select 1 from json_each(${sessions.assignments}) where value = ${filter.hostId})`);
  if (needle) conditions.push(textCondition(needle, namedHostIds));
  const rows = await ctx.orm.select().from(sessions).where(and(...conditions)).orderBy(desc(sessions.seq)).limit(filter.limit);
  return rows.map(sessionFromRow);
}

/** The database side of `SessionFilter.text`: instr() on lower-cased fields, so `%` and `_` are plain characters. */
function textCondition(needle: string, namedHostIds: string[]): SQL {
  const fields =
    sql`lower(${sessions.id} || ' ' || coalesce(json_extract(${sessions.client}, '$.name'), '') || ' ' || coalesce(json_extract(${sessions.client}, '$.ci_job_id'), '') || ' ' || coalesce(${sessions.endReason}, ''))`;
  const onNamedHost = namedHostIds.length
    ? sql`exists (select 1 from json_each(${sessions.assignments}) where ${inArray(sql`value`, namedHostIds)})`
    : sql`0`;
  return or(sql`instr(${fields}, ${needle}) > 0`, onNamedHost)!;
}
