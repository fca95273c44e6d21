import type { WorkKind } from "../../protocol/work-kinds.ts";
import { healthCheck } from "./health-check-work.ts";
import { deviceOperation, fileTransfer } from "./host-operation-work.ts";
import { killJob, runJob } from "./job-work.ts";
import { deployLab, destroyLab } from "./lab-work.ts";
import { refreshInventory } from "./refresh-inventory.ts";
import type { WorkExecutor } from "./work-executor.ts";

/** The agent's executor for each kind of work; a kind missing here is answered as unsupported. */
export const EXECUTORS: Partial<Record<WorkKind, WorkExecutor>> = {
  "refresh-inventory": refreshInventory,
  "deploy-lab": deployLab,
  "destroy-lab": destroyLab,
  "run-job": runJob,
  "kill-job": killJob,
  "device-op": deviceOperation,
  "file-transfer": fileTransfer,
  "health-check": healthCheck,
};
