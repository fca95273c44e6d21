export type OutcomeName = "passed" | "failed" | "timed_out" | "killed" | "error";

/** One word for how a job ended, from its stored outcome: for events, logs and metrics. */
export function outcomeName(outcome: Record<string, unknown>): OutcomeName {
  if (outcome.passed === true) return "passed";
  if (outcome.timedOut === true) return "timed_out";
  if (outcome.signal) return "killed";
  if (outcome.error) return "error";
  return "failed";
}
