import { eq } from "drizzle-orm";
import { workItems } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { WorkItem } from "./work-item.ts";

/** Open work from memory, finished work from the database. */
export async function findWork(ctx: EngineContext, workId: string): Promise<WorkItem> {
  const open = ctx.state.work.findOpen(workId);
  if (open) return open;
  const [row] = await ctx.orm.select().from(workItems).where(eq(workItems.id, workId)).limit(1);
  if (!row) throw new NotFoundError(`Cannot find work "${workId}"`);
  return row;
}
