import type { WorkResult } from "../../protocol/work-contract.ts";
import type { ReadableWork } from "../../protocol/work-delivery.ts";
import type { WorkKind } from "../../protocol/work-kinds.ts";
import { healthCheck } from "./health-check-work.ts";
import { deviceOperation, fileTransfer } from "./host-operation-work.ts";
import { killJob, runJob } from "./job-work.ts";
import { deployLab, destroyLab, resetLab } from "./lab-work.ts";
import { refreshInventory } from "./refresh-inventory.ts";
import type { ExecutionContext, WorkExecutor } from "./work-executor.ts";

/** The agent's executor for each kind of work; a kind missing here does not compile. */
const EXECUTORS: { [K in WorkKind]: WorkExecutor<K> } = {
  "refresh-inventory": refreshInventory,
  "deploy-lab": deployLab,
  "destroy-lab": destroyLab,
  "reset-lab": resetLab,
  "run-job": runJob,
  "kill-job": killJob,
  "device-op": deviceOperation,
  "file-transfer": fileTransfer,
  "health-check": healthCheck,
};

/** Runs work the agent has read (src/protocol/work-delivery.ts) with the executor of its kind. */
export function executeWork(work: ReadableWork, context: Omit<ExecutionContext<WorkKind>, "payload">): Promise<WorkResult<WorkKind>> {
  const executor = EXECUTORS[work.kind] as WorkExecutor<WorkKind>;
  return executor({ ...context, payload: work.payload });
}
