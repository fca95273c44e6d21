import { Change, type EngineContext } from "../context.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import type { WorkItem } from "../work/work-item.ts";
import { findHost } from "./update-host.ts";

/** Asks a host's agent to detect its runtimes and inventory again. */
export async function requestInventoryRefresh(ctx: EngineContext, idOrName: string): Promise<WorkItem> {
  const host = findHost(ctx, idOrName);
  const change = new Change(ctx);
  const item = enqueueWork(ctx, change, { hostId: host.id, kind: "refresh-inventory", payload: {} });
  await change.commit();
  return item;
}
