import { eq, getTableColumns, type InferInsertModel, sql } from "drizzle-orm";
import type { Orm } from "./connect.ts";
import { compileStatement, placeholdersFor } from "./compiled-statement.ts";
import { events, sessions } from "./schema.ts";

type SessionRow = InferInsertModel<typeof sessions>;
type EventRow = InferInsertModel<typeof events>;

/** The statements every session change writes, compiled once per database. */
export function createHotStatements(orm: Orm) {
  const sessionKeys = Object.keys(getTableColumns(sessions)) as (keyof SessionRow)[];
  const eventKeys = Object.keys(getTableColumns(events)) as (keyof EventRow)[];
  const bySessionId = eq(sessions.id, sql.placeholder("id"));
  return {
    insertSession: compileStatement<SessionRow>(orm.insert(sessions).values(placeholdersFor(sessionKeys) as never)),
    insertEvent: compileStatement<EventRow>(orm.insert(events).values(placeholdersFor(eventKeys) as never)),
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

export type HotStatements = ReturnType<typeof createHotStatements>;
