import type { Change, EngineContext } from "../context.ts";
import { promoteWaitingSessions } from "../scheduler.ts";
import type { WorkItem } from "../work/work-item.ts";
import type { ReadOutcome } from "../work/work-outcome.ts";

/** A finished refresh-inventory: the host's runtimes and inventory become what the agent found. */
export function applyInventory(ctx: EngineContext, change: Change, item: WorkItem, outcome: ReadOutcome<"refresh-inventory">): void {
  const host = ctx.state.hosts.get(item.hostId);
  if (!host || !outcome.ok) return;
  change.write(ctx.state.hosts.setInventory(host, outcome.result.runtimes, outcome.result.inventory));
  change.emit("host.inventory", { hostId: host.id }, { name: host.name, runtimes: host.runtimes });
  promoteWaitingSessions(ctx, change);
}
