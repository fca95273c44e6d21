import { applyInventory } from "../agents/apply-inventory.ts";
import type { Change, EngineContext } from "../context.ts";
import { forgetUploadedContent } from "../devices/file-transfer-content.ts";
import { recordHostChanges } from "../devices/host-changes.ts";
import { applyHealthCheckResult } from "../hosts/health-gate.ts";
import { applyJobResult } from "../jobs/job-work-handlers.ts";
import { applyDeployResult, applyDestroyResult, applyResetResult } from "../labs/lab-work-handlers.ts";
import type { WorkKind } from "../../protocol/work-kinds.ts";
import type { WorkItem, WorkOutcome } from "./work-item.ts";
import { readOutcome, type WorkHandler } from "./work-outcome.ts";

const WORK_HANDLERS: { [K in WorkKind]?: WorkHandler<K> } = {
  "refresh-inventory": applyInventory,
  "deploy-lab": applyDeployResult,
  "destroy-lab": applyDestroyResult,
  "reset-lab": applyResetResult,
  "run-job": applyJobResult,
  "device-op": recordHostChanges,
  "file-transfer": forgetUploadedContent,
  "health-check": applyHealthCheckResult,
};

/** Lets the handler of the item's kind apply its outcome (lab state, inventory, job record…), its result read by the protocol. */
export function handleOutcome(ctx: EngineContext, change: Change, item: WorkItem, outcome: WorkOutcome): void {
  const handler = WORK_HANDLERS[item.kind] as WorkHandler<typeof item.kind> | undefined;
  handler?.(ctx, change, item, readOutcome(item.kind, outcome));
}
