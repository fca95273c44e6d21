import { Change, type EngineContext } from "../context.ts";
import { awaitWork } from "../work/await-work.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import type { JobRecord } from "./job.ts";

const KILL_ANSWER_MS = 15_000;

export const SIGNALS = ["SIGKILL", "SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGSTOP", "SIGCONT"] as const;
export type SignalName = (typeof SIGNALS)[number];

/** Signals a running job (its whole process tree). A finished job is not signalled, and the answer says so. */
export async function killJob(ctx: EngineContext, job: JobRecord, signal: SignalName): Promise<{ signalled: boolean; message: string }> {
  if (ctx.state.jobs.stateOf(job) === "finished") {
    return { signalled: false, message: `Job ${job.number} has already finished; it was not signalled` };
  }
  const change = new Change(ctx);
  const work = enqueueWork(ctx, change, {
    hostId: job.hostId,
    kind: "kill-job",
    sessionId: job.sessionId,
    jobId: job.id,
    payload: { job_id: job.id, signal },
  });
  await change.commit();
  const answered = await awaitWork(ctx, work.id, KILL_ANSWER_MS);
  if (answered.state === "done") {
    const result = answered.result ?? {};
    return { signalled: result.delivered === true, message: String(result.message ?? "") };
  }
  if (answered.state === "failed") return { signalled: false, message: answered.error ?? "the agent could not signal the job" };
  return { signalled: false, message: `The agent has not answered within ${KILL_ANSWER_MS / 1000} s; the signal is still queued` };
}
