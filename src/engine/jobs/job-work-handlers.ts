import type { Change, EngineContext } from "../context.ts";
import type { WorkItem } from "../work/work-item.ts";
import type { ReadOutcome } from "../work/work-outcome.ts";
import { outcomeName } from "./outcome-name.ts";

/** The agent finished running a job: its result (exit code, output, passed…) becomes the job's outcome. */
export function applyJobResult(ctx: EngineContext, change: Change, item: WorkItem, outcome: ReadOutcome<"run-job">): void {
  const job = item.jobId ? ctx.state.jobs.get(item.jobId) : undefined;
  if (!job) return;
  const now = ctx.clock.now();
  const jobOutcome = outcome.ok
    ? outcome.result
    : { state: "finished" as const, passed: false, error: outcome.error ?? "the job could not be run" };
  change.write(ctx.state.jobs.finish(job, jobOutcome, now));
  // Kept in memory (with its outcome) until the outcome is committed: a reader in between would find the stored row without it.
  change.afterCommit(() => ctx.state.jobs.forgetFinished(job));
  change.emit("job.finished", { jobId: job.id, sessionId: job.sessionId, hostId: job.hostId, labId: job.labId }, {
    number: job.number,
    passed: jobOutcome.passed === true,
    outcome: outcomeName(jobOutcome),
  });
}
