import { eq, getTableColumns, type InferInsertModel, sql } from "drizzle-orm";
import type { Orm } from "./connect.ts";
import { compileStatement, placeholdersFor } from "./compiled-statement.ts";
import { events, sessions } from "./schema.ts";

type SessionRow = InferInsertModel<typeof sessions>;
type EventRow = InferInsertModel<typeof events>;

/** The statement every change writes (its events), compiled once per database. */
export function createHotStatements(orm: Orm) {
  const eventKeys = Object.keys(getTableColumns(events)) as (keyof EventRow)[];
  return {
    insertEvent: compileStatement<EventRow>(orm.insert(events).values(placeholdersFor(eventKeys) as never)),
  };
}

export type HotStatements = ReturnType<typeof createHotStatements>;

/** The statements of the session create and poll paths, compiled once per database (the sessions store's). */
export function createSessionStatements(orm: Orm) {
  const sessionKeys = Object.keys(getTableColumns(sessions)) as (keyof SessionRow)[];
  const bySessionId = eq(sessions.id, sql.placeholder("id"));
  return {
    insertSession: compileStatement<SessionRow>(orm.insert(sessions).values(placeholdersFor(sessionKeys) as never)),
    activateSession: compileStatement<Pick<SessionRow, "id" | "assignments" | "activatedAt" | "lastSeenAt" | "hostFacts">>(
      orm
        .update(sessions)
        .set({ state: "active", ...placeholdersFor(["assignments", "activatedAt", "lastSeenAt", "hostFacts"] as const) } as never)
        .where(bySessionId),
    ),
    endSession: compileStatement<Pick<SessionRow, "id" | "endReason" | "endedAt" | "lastSeenAt">>(
      orm
        .update(sessions)
        .set({ state: "ended", ...placeholdersFor(["endReason", "endedAt", "lastSeenAt"] as const) } as never)
        .where(bySessionId),
    ),
    touchSession: compileStatement<{ id: string; lastSeenAt: number }>(
      orm.update(sessions).set({ lastSeenAt: sql.placeholder("lastSeenAt") } as never).where(bySessionId),
    ),
  };
}

export type SessionStatements = ReturnType<typeof createSessionStatements>;
