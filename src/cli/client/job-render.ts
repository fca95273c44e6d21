import type { JobView, OutputChunk } from "../../client/api-types.ts";
import type { CommandIo } from "../command.ts";
import { textTable } from "./text-table.ts";

/** Why a job did not pass, in a few words. */
export function failureReason(view: JobView): string {
  if (view.error) return view.error;
  if (view.timed_out) return `killed after its ${view.duration_ms !== null ? `${Math.round(view.duration_ms / 1000)} s ` : ""}timeout`;
  if (view.signal) return `killed by ${view.signal}`;
  // A job that exited 0 and still did not pass was run expecting a failure.
  return `exit code ${view.exit_code}${view.exit_code === 0 ? " (a failure was expected)" : ""}`;
}

/** PASS, FAIL or the state of a job still going. */
export function verdict(view: JobView): string {
  if (view.state !== "finished") return view.state.toUpperCase();
  return view.passed ? "PASS" : "FAIL";
}

/** A job's output chunk where it belongs: stderr to stderr, the rest to stdout. */
export function printOutput(io: CommandIo, chunk: OutputChunk): void {
  io[chunk.stream === "stderr" ? "stderr" : "stdout"](chunk.text);
}

export function jobsTable(jobs: readonly JobView[]): string {
  return textTable(
    ["JOB", "ROLE", "NO", "VERDICT", "COMMAND", "DESCRIPTION"],
    jobs.map((job) => [
      job.id,
      job.node ? `${job.role}/${job.node}` : job.role,
      String(job.number),
      job.state === "finished" && !job.passed ? `FAIL (${failureReason(job)})` : verdict(job),
      commandLine(job),
      job.description ?? "",
    ]),
  );
}

function commandLine(job: JobView): string {
  const text = job.shell ?? (job.argv ?? []).join(" ");
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
