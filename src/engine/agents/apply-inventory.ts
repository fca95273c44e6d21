import { eq } from "drizzle-orm";
import { hosts } from "../../../db/schema.ts";
import type { Change, EngineContext } from "../context.ts";
import { promoteWaitingSessions } from "../scheduler.ts";
import type { WorkItem } from "../work/work-item.ts";
import type { ReadOutcome } from "../work/work-outcome.ts";

/** A finished refresh-inventory: the host's runtimes and inventory become what the agent found. */
export function applyInventory(ctx: EngineContext, change: Change, item: WorkItem, outcome: ReadOutcome<"refresh-inventory">): void {
  const host = ctx.state.hosts.get(item.hostId);
  if (!host || !outcome.ok) return;
  host.runtimes = outcome.result.runtimes;
  host.inventory = outcome.result.inventory;
  ctx.state.queue.hostsChanged();
  change.write(ctx.orm.update(hosts).set({ runtimes: host.runtimes, inventory: host.inventory }).where(eq(hosts.id, host.id)));
  change.emit("host.inventory", { hostId: host.id }, { name: host.name, runtimes: host.runtimes });
  promoteWaitingSessions(ctx, change);
}
