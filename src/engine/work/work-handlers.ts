import { applyInventory } from "../agents/apply-inventory.ts";
import type { Change, EngineContext } from "../context.ts";
import { forgetUploadedContent } from "../devices/file-transfer-content.ts";
import { recordHostChanges } from "../devices/host-changes.ts";
import { applyHealthCheckResult } from "../hosts/health-gate.ts";
import { applyJobResult } from "../jobs/job-work-handlers.ts";
import { applyDeployResult, applyDestroyResult } from "../labs/lab-work-handlers.ts";
import type { WorkItem, WorkKind, WorkOutcome } from "./work-item.ts";

export type WorkHandler = (ctx: EngineContext, change: Change, item: WorkItem, outcome: WorkOutcome) => void;

/** What the broker does when an agent finishes each kind of work. */
export const WORK_HANDLERS: Partial<Record<WorkKind, WorkHandler>> = {
  "refresh-inventory": applyInventory,
  "deploy-lab": applyDeployResult,
  "destroy-lab": applyDestroyResult,
  "run-job": applyJobResult,
  "device-op": recordHostChanges,
  "file-transfer": forgetUploadedContent,
  "health-check": applyHealthCheckResult,
};
