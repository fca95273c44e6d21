import type { DeviceOperation, FileTransfer, REFUSAL_REASONS } from "../../protocol/host-operation-work.ts";
import type { WorkPayload, WorkResult } from "../../protocol/work-contract.ts";
import { BadRequestError, ConflictError, NotFoundError, PayloadTooLargeError, UnavailableError, UnprocessableError } from "../errors.ts";
import { Change, type EngineContext } from "../context.ts";
import { forgetDownloadedContent } from "./file-transfer-content.ts";
import { type JobTarget, resolveTarget, targetPayload, type TargetRequest } from "../jobs/job-target.ts";
import { requireNamespaceAccess } from "../jobs/namespace-access.ts";
import { awaitWork } from "../work/await-work.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import { readOutcome } from "../work/work-outcome.ts";

const ANSWER_MS = 60_000;

const REFUSALS: Record<(typeof REFUSAL_REASONS)[number], new (message: string) => Error> = {
  invalid: BadRequestError,
  "not-found": NotFoundError,
  conflict: ConflictError,
  "too-large": PayloadTooLargeError,
  unsupported: UnprocessableError,
};

type HostOperationKind = "device-op" | "file-transfer";

/** One device operation on the target host (or one of its namespaces, `netns`) or lab node; returns its value. */
export function runDeviceOperation(
  ctx: EngineContext,
  sessionId: string,
  where: TargetRequest,
  operation: DeviceOperation,
  netns: string | null,
): Promise<unknown> {
  const target = resolveTarget(ctx, sessionId, where);
  requireNamespaceAccess(ctx, target, netns);
  if (operation.operation === "create" && operation.spec.kind === "veth" && operation.spec.peerNetns !== undefined) {
    requireNamespaceAccess(ctx, target, operation.spec.peerNetns);
  }
  return runOnHost(ctx, target, "device-op", { ...operation, ...targetPayload(target), ...(netns ? { netns } : {}) });
}

/** Writes or reads one file on the target's host; a read's content leaves the database once the caller has it. */
export function transferFile(ctx: EngineContext, sessionId: string, where: TargetRequest, transfer: FileTransfer): Promise<unknown> {
  const target = resolveTarget(ctx, sessionId, where);
  return runOnHost(ctx, target, "file-transfer", { ...transfer, ...targetPayload(target) });
}

/**
 * Runs one device or file operation through the target's agent and returns its value. A refusal by
 * the host (unknown device, bad address…) becomes the matching 4xx; the undo records of applied
 * changes are kept by the work handler, so they are restored at session end even if this caller
 * stops waiting.
 */
async function runOnHost<K extends HostOperationKind>(
  ctx: EngineContext,
  target: JobTarget,
  kind: K,
  payload: WorkPayload<K>,
): Promise<unknown> {
  const change = new Change(ctx);
  const work = enqueueWork(ctx, change, {
    hostId: target.host.id,
    kind,
    sessionId: target.session.id,
    labId: target.lab?.id ?? null,
    payload,
  });
  await change.commit();
  const finished = await awaitWork(ctx, work.id, ANSWER_MS);
  if (finished.state === "queued" || finished.state === "dispatched") {
    throw new UnavailableError(
      `The agent of host "${target.host.name}" has not answered within ${
        ANSWER_MS / 1000
      } s; the operation stays queued as work ${work.id}`,
    );
  }
  const outcome = readOutcome(kind, { ok: finished.state === "done", result: finished.result, error: finished.error });
  if (!outcome.ok) throw new UnprocessableError(outcome.error ?? "the host could not run the operation");
  const result = outcome.result as WorkResult<HostOperationKind>;
  if ("refused" in result) throw new (REFUSALS[result.refused.reason] ?? BadRequestError)(result.refused.message);
  if (kind === "file-transfer") await forgetDownloadedContent(ctx, work.id, finished.result!);
  return result.value;
}
