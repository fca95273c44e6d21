import type { SignalName } from "../../protocol/job-work.ts";
import { Change, type EngineContext } from "../context.ts";
import { awaitWork } from "../work/await-work.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import type { WorkItem } from "../work/work-item.ts";
import { readOutcome } from "../work/work-outcome.ts";
import type { JobRecord } from "./job.ts";

const KILL_ANSWER_MS = 15_000;

/** Signals a running job (its whole process tree). A finished job is not signalled, and the answer says so. */
export async function killJob(ctx: EngineContext, job: JobRecord, signal: SignalName): Promise<{ signalled: boolean; message: string }> {
  if (ctx.state.jobs.stateOf(job) === "finished") {
    return { signalled: false, message: `Job ${job.number} has already finished; it was not signalled` };
  }
  const change = new Change(ctx);
  const work = enqueueKill(ctx, change, job, signal);
  await change.commit();
  const answered = await awaitWork(ctx, work.id, KILL_ANSWER_MS);
  if (answered.state === "done" || answered.state === "failed") {
    const outcome = readOutcome("kill-job", { ok: answered.state === "done", result: answered.result, error: answered.error });
    if (outcome.ok) return { signalled: outcome.result.delivered, message: outcome.result.message };
    return { signalled: false, message: outcome.error ?? "the agent could not signal the job" };
  }
  return { signalled: false, message: `The agent has not answered within ${KILL_ANSWER_MS / 1000} s; the signal is still queued` };
}

/** Queues the signal for the job's agent (a user's kill, or SIGKILL when the job's session ends). */
export function enqueueKill(ctx: EngineContext, change: Change, job: JobRecord, signal: SignalName): WorkItem {
  return enqueueWork(ctx, change, {
    hostId: job.hostId,
    kind: "kill-job",
    sessionId: job.sessionId,
    jobId: job.id,
    payload: { job_id: job.id, signal },
  });
}
