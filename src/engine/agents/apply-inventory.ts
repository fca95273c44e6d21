import { eq } from "drizzle-orm";
import { z } from "zod";
import { hosts } from "../../../db/schema.ts";
import type { Change, EngineContext } from "../context.ts";
import { RUNTIMES } from "../../protocol/runtimes.ts";
import { promoteWaitingSessions } from "../scheduler.ts";
import type { WorkItem, WorkOutcome } from "../work/work-item.ts";

const InventoryResultSchema = z.object({
  runtimes: z.array(z.object({ name: z.enum(RUNTIMES), version: z.string().nullable() })),
  inventory: z.record(z.string(), z.unknown()),
});

/** A finished refresh-inventory: the host's runtimes and inventory become what the agent found. */
export function applyInventory(ctx: EngineContext, change: Change, item: WorkItem, outcome: WorkOutcome): void {
  const host = ctx.state.hosts.get(item.hostId);
  const parsed = InventoryResultSchema.safeParse(outcome.result);
  if (!host || !outcome.ok || !parsed.success) return;
  host.runtimes = parsed.data.runtimes;
  host.inventory = parsed.data.inventory;
  ctx.state.queue.hostsChanged();
  change.write(ctx.orm.update(hosts).set({ runtimes: host.runtimes, inventory: host.inventory }).where(eq(hosts.id, host.id)));
  change.emit("host.inventory", { hostId: host.id }, { name: host.name, runtimes: host.runtimes });
  promoteWaitingSessions(ctx, change);
}
