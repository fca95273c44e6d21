import type { JobRequest } from "../../hosts/jobs/job-spec.ts";
import { SESSION_MARKER_VARIABLE } from "../../hosts/health/session-leftovers.ts";
import { nodePlace } from "./node-place.ts";
import type { WorkExecutor } from "./work-executor.ts";

/** The broker's output events carry at most 64 KiB of text each. */
const EVENT_TEXT_LIMIT = 60 * 1024;

/**
 * Runs a job (on the host or inside a lab node), streaming its output as it comes; the result is
 * the job's outcome. A job cut off by an agent restart is never started again.
 */
export const runJob: WorkExecutor<"run-job"> = async ({ work, payload, output, services, workDir, interrupted }) => {
  if (interrupted) {
    throw new Error(
      "The agent restarted while this job ran: its processes were killed when the agent started again, and the job was not run again",
    );
  }
  const { job } = payload;
  const place = nodePlace(services, workDir, payload);
  const request: JobRequest = { ...job, timeoutMs: job.timeoutMs ?? undefined };
  // Ties what the job leaves running to its session for the health gate (session-leftovers.ts).
  if (work.session_id) request.env = { ...request.env, [SESSION_MARKER_VARIABLE]: work.session_id };
  if (place.prefix.length === 0 && place.netns) request.netns = place.netns;
  if (place.prefix.length > 0 || place.inside.length > 0) {
    const command = request.shell !== undefined ? ["sh", "-c", request.shell] : (request.argv ?? []);
    const namespace = place.prefix.length > 0 && place.netns ? ["ip", "netns", "exec", place.netns] : [];
    request.argv = [...place.prefix, ...namespace, ...place.inside, ...command];
    delete request.shell;
  }
  const { job: running } = services.jobs.ensureStarted(request, (chunk) => {
    for (let start = 0; start < chunk.text.length; start += EVENT_TEXT_LIMIT) {
      output({ stream: chunk.stream, text: chunk.text.slice(start, start + EVENT_TEXT_LIMIT) });
    }
  });
  const result = await running.done;
  services.jobs.forget(running.spec.id);
  return { ...result };
};

/** Signals a job's whole process tree; a job this agent does not run (any more) is said so. */
export const killJob: WorkExecutor<"kill-job"> = async ({ payload: { job_id, signal }, services }) => {
  if (!services.jobs.has(job_id)) return { delivered: false, message: `Job "${job_id}" is not running on this host` };
  const { delivered, message } = services.jobs.kill(job_id, signal);
  return { delivered, message };
};
