import { and, eq, max } from "drizzle-orm";
import { jobs } from "../../../db/schema.ts";
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
  const number = await nextJobNumber(ctx, first.session.id, first.host.id);
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
  ctx.state.jobs.set(id, job);
  change.write(ctx.orm.insert(jobs).values(job));
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

/** Job numbers count up per host within a session; the counter lives in memory, seeded once from the database. */
async function nextJobNumber(ctx: EngineContext, sessionId: string, hostId: string): Promise<number> {
  const key = `${sessionId}:${hostId}`;
  if (!ctx.state.jobNumbers.has(key)) {
    const [top] = await ctx.orm.select({ number: max(jobs.number) }).from(jobs).where(
      and(eq(jobs.sessionId, sessionId), eq(jobs.hostId, hostId)),
    );
    if (!ctx.state.jobNumbers.has(key)) ctx.state.jobNumbers.set(key, top?.number ?? 0);
  }
  const next = ctx.state.jobNumbers.get(key)! + 1;
  ctx.state.jobNumbers.set(key, next);
  return next;
}
