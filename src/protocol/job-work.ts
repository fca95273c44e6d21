import { z } from "zod";
import { WorkTargetSchema } from "./lab-instance.ts";

export const SIGNALS = ["SIGKILL", "SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGSTOP", "SIGCONT"] as const;
export type SignalName = (typeof SIGNALS)[number];

/**
 * run-job: the job as the broker accepted it. The agent checks it once more against its host's
 * limits (src/hosts/jobs/job-spec.ts), which answer with the field that is wrong.
 */
export const RunJobPayloadSchema = WorkTargetSchema.extend({
  job: z.object({
    id: z.string(),
    argv: z.array(z.string()).optional(),
    shell: z.string().optional(),
    background: z.boolean(),
    /** Null only for background jobs that may run until killed or the session ends. */
    timeoutMs: z.number().int().nullable(),
    expectFailure: z.boolean(),
    cwd: z.string().optional(),
    env: z.record(z.string(), z.string()).optional(),
    netns: z.string().optional(),
    parseJson: z.boolean(),
    description: z.string().optional(),
    maxOutputBytes: z.number().int().positive(),
  }),
});

export type JobPayload = z.infer<typeof RunJobPayloadSchema>["job"];

/** A finished job as the agent reports it (src/hosts/jobs/job-result.ts); it becomes the job's outcome as sent. */
export const RunJobResultSchema = z.looseObject({
  state: z.literal("finished"),
  passed: z.boolean(),
  /** Null when a signal ended the job, or it never ran. */
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  /** Why the job could not run at all. */
  error: z.string().nullable(),
});

/** kill-job: signal a job's whole process tree. */
export const KillJobPayloadSchema = z.object({ job_id: z.string(), signal: z.enum(SIGNALS) });
export const KillJobResultSchema = z.object({ delivered: z.boolean(), message: z.string() });
