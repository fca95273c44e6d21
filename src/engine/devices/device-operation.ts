import { BadRequestError, ConflictError, NotFoundError, PayloadTooLargeError, UnavailableError, UnprocessableError } from "../errors.ts";
import { Change, type EngineContext } from "../context.ts";
import { forgetDownloadedContent } from "./file-transfer-content.ts";
import { resolveTarget, targetPayload, type TargetRequest } from "../jobs/job-target.ts";
import { requireNamespaceAccess } from "../jobs/namespace-access.ts";
import { awaitWork } from "../work/await-work.ts";
import { enqueueWork } from "../work/enqueue-work.ts";

const ANSWER_MS = 60_000;

/** What a device or file operation sends to the agent (the agent validates it again against the host). */
export type HostOperation = { operation: string } & Record<string, unknown>;

const REFUSALS = {
  invalid: BadRequestError,
  "not-found": NotFoundError,
  conflict: ConflictError,
  "too-large": PayloadTooLargeError,
  unsupported: UnprocessableError,
} as const;

/**
 * Runs one device or file operation on the target host or lab node through its agent and returns
 * its value. A refusal by the host (unknown device, bad address…) becomes the matching 4xx; the
 * undo records of applied changes are kept by the work handler, so they are restored at session end
 * even if this caller stops waiting.
 */
export async function runHostOperation(
  ctx: EngineContext,
  sessionId: string,
  where: TargetRequest,
  kind: "device-op" | "file-transfer",
  operation: HostOperation,
): Promise<unknown> {
  const target = resolveTarget(ctx, sessionId, where);
  if (kind === "device-op") {
    requireNamespaceAccess(ctx, target, typeof operation.netns === "string" ? operation.netns : null);
    const peerNetns = (operation.spec as { peerNetns?: unknown } | undefined)?.peerNetns;
    if (typeof peerNetns === "string") requireNamespaceAccess(ctx, target, peerNetns);
  }
  const change = new Change(ctx);
  const work = enqueueWork(ctx, change, {
    hostId: target.host.id,
    kind,
    sessionId: target.session.id,
    labId: target.lab?.id ?? null,
    payload: { ...operation, ...targetPayload(target) },
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
  if (finished.state === "failed") throw new UnprocessableError(finished.error ?? "the host could not run the operation");
  const result = finished.result ?? {};
  const refused = result.refused as { reason?: keyof typeof REFUSALS; message?: string } | undefined;
  if (refused) throw new (REFUSALS[refused.reason ?? "invalid"] ?? BadRequestError)(refused.message ?? "the host refused the operation");
  if (kind === "file-transfer") await forgetDownloadedContent(ctx, work.id, result);
  return result.value;
}
