import type { WorkKind } from "../../engine/work/work-item.ts";
import { refreshInventory } from "./refresh-inventory.ts";
import type { WorkExecutor } from "./work-executor.ts";

/** The agent's executor for each kind of work; a kind missing here is answered as unsupported. */
export const EXECUTORS: Partial<Record<WorkKind, WorkExecutor>> = {
  "refresh-inventory": refreshInventory,
};
