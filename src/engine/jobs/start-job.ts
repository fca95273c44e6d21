import type { JobPayload } from "../../protocol/job-work.ts";
import { Change, type EngineContext } from "../context.ts";
import { newId } from "../ids.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import type { JobRecord } from "./job.ts";
import { resolveTarget, targetPayload, type TargetRequest } from "./job-target.ts";
import { requireNamespaceAccess } from "./namespace-access.ts";

/** A job as the broker accepted it; its id is given when it is queued. */
export type JobSpec = Omit<JobPayload, "id">;

/** Queues a job for the target's agent; its number is the next for that host within the session. */
export async function startJob(ctx: EngineContext, sessionId: string, where: TargetRequest, spec: JobSpec): Promise<JobRecord> {
  const first = resolveTarget(ctx, sessionId, where);
  requireNamespaceAccess(ctx, first, spec.netns ?? null);
  const number = await ctx.state.jobs.nextNumber(first.session.id, first.host.id);
  // Checked again: the session may have ended, or its lab gone, while the number was read.
  const target = resolveTarget(ctx, sessionId, where);
  const now = ctx.clock.now();
  const id = newId(now);
  const change = new Change(ctx);
  const work = enqueueWork(ctx, change, {
    hostId: target.host.id,
    kind: "run-job",
    sessionId: target.session.id,
    jobId: id,
    labId: target.lab?.id ?? null,
    payload: { job: { id, ...spec }, ...targetPayload(target) },
  });
  const job: JobRecord = {
    id,
    sessionId: target.session.id,
    hostId: target.host.id,
    role: target.role,
    labId: target.lab?.id ?? null,
    node: target.node,
    number,
    spec: { ...spec },
    workId: work.id,
    outcome: null,
    createdAt: now,
    finishedAt: null,
  };
  change.write(ctx.state.jobs.queue(job));
  change.emit("job.queued", { jobId: id, sessionId: job.sessionId, hostId: job.hostId, labId: job.labId }, {
    number,
    role: job.role,
    node: job.node,
    ...(spec.argv ? { argv: spec.argv } : { shell: spec.shell }),
    background: spec.background,
    description: spec.description ?? null,
  });
  await change.commit();
  return job;
}
