import { detectInventory } from "../inventory.ts";
import type { WorkExecutor } from "./work-executor.ts";

/** Safe to run again after an interruption: it only looks. */
export const refreshInventory: WorkExecutor<"refresh-inventory"> = async ({ env, services }) => {
  const { runtimes, inventory } = await detectInventory(env, services.health.mode);
  return { runtimes, inventory };
};
