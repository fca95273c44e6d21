import { eq } from "drizzle-orm";
import { workItems } from "../../../db/schema.ts";
import { Change, type EngineContext } from "../context.ts";
import type { WorkItem } from "../work/work-item.ts";

/**
 * File contents pass through the database only on their way: what a session uploads (a key, a
 * config with passwords) is dropped once the agent has written it, what it downloads once the
 * client has it. The work item keeps the path, size and outcome.
 */
export function forgetUploadedContent(ctx: EngineContext, change: Change, item: WorkItem): void {
  if (!("content_base64" in item.payload)) return;
  const { content_base64: _written, ...payload } = item.payload;
  item.payload = payload;
  change.write(ctx.orm.update(workItems).set({ payload }).where(eq(workItems.id, item.id)));
}

export async function forgetDownloadedContent(ctx: EngineContext, workId: string, result: Record<string, unknown>): Promise<void> {
  const value = result.value as Record<string, unknown> | undefined;
  if (!value || !("content_base64" in value)) return;
  const { content_base64: _delivered, ...rest } = value;
  const change = new Change(ctx);
  change.write(ctx.orm.update(workItems).set({ result: { ...result, value: rest } }).where(eq(workItems.id, workId)));
  await change.commit();
}
