import { and, desc, eq, type SQL } from "drizzle-orm";
import { labs } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";
import type { Lab, LabState } from "./lab.ts";

export interface LabFilter {
  sessionId?: string | undefined;
  hostId?: string | undefined;
  state?: LabState | undefined;
  limit: number;
}

/** Labs newest first: live ones from memory unless only inactive ones are asked for, which come from the database. */
export async function listLabs(ctx: EngineContext, filter: LabFilter): Promise<Lab[]> {
  if (filter.state !== "inactive") {
    return ctx.state.labs.live()
      .filter((lab) =>
        (!filter.sessionId || lab.sessionId === filter.sessionId) && (!filter.hostId || lab.hostId === filter.hostId) &&
        (!filter.state || lab.state === filter.state)
      )
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, filter.limit);
  }
  const conditions: SQL[] = [eq(labs.state, "inactive")];
  if (filter.sessionId) conditions.push(eq(labs.sessionId, filter.sessionId));
  if (filter.hostId) conditions.push(eq(labs.hostId, filter.hostId));
  return await ctx.orm.select().from(labs).where(and(...conditions)).orderBy(desc(labs.createdAt)).limit(filter.limit);
}
