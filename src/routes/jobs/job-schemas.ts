import { z } from "@hono/zod-openapi";
import type { EngineContext } from "../../engine/context.ts";
import type { JobRecord } from "../../engine/jobs/job.ts";
import { DEFAULT_MAX_OUTPUT_BYTES, jobFields } from "../../validation/job-fields.ts";
import { safeText } from "../../validation/text.ts";
import { isoTime, IsoTimeSchema } from "../iso-time.ts";
import { JsonValueSchema } from "../json-value.ts";

/** A week; the agent's own bound (MAX_JOB_TIMEOUT_MS) is longer. */
const MAX_TIMEOUT_S = 7 * 24 * 3600;

export const RunJobBodySchema = z
  .object({
    role: z.string().min(1).max(32).optional().openapi({ description: "Run on this role's host (the session's first role by default)" }),
    lab_id: z.string().min(1).max(64).optional().openapi({ description: "Run inside a node of this running lab (with `node`)" }),
    node: safeText("node").min(1).max(253).optional(),
    argv: jobFields.argv.optional().openapi({ example: ["ping", "-c", "3", "10.0.2.3"] }),
    shell: jobFields.shell.optional().openapi({ description: "A command line for sh -c" }),
    background: z.boolean().default(false),
    timeout_s: z.number().min(0.001, "must be at least 0.001 s").max(MAX_TIMEOUT_S).optional().openapi({
      description: "Killed with SIGKILL after this; foreground default 60, background none",
    }),
    expect_failure: z.boolean().default(false).openapi({ description: "The job passes when the command fails" }),
    cwd: jobFields.cwd.optional(),
    env: jobFields.env.optional(),
    netns: jobFields.netns.optional().openapi({
      description: "A named network namespace to run in: any, for a session holding the whole host; else one of its labs'",
    }),
    parse_json: z.boolean().default(false).openapi({ description: "Parse stdout as JSON into `result`" }),
    description: jobFields.description.optional(),
    max_output_bytes: jobFields.maxOutputBytes.default(DEFAULT_MAX_OUTPUT_BYTES).openapi({
      description: "Per stream, up to 16 MiB; what is cut is marked and counted",
    }),
  })
  .strict()
  .refine((body) => (body.argv === undefined) !== (body.shell === undefined), {
    message: "give exactly one of argv or shell",
    path: ["argv"],
  })
  .refine((body) => (body.node === undefined) === (body.lab_id === undefined), { message: "lab_id and node go together", path: ["node"] })
  .openapi("RunJob");

export const JobViewSchema = z
  .object({
    id: z.string(),
    number: z.number().int().openapi({ description: "Sequential per host within the session" }),
    session_id: z.string(),
    host_id: z.string(),
    role: z.string(),
    lab_id: z.string().nullable(),
    node: z.string().nullable(),
    state: z.enum(["queued", "running", "finished"]),
    description: z.string().nullable(),
    argv: z.array(z.string()).nullable(),
    shell: z.string().nullable(),
    background: z.boolean(),
    exit_code: z.number().int().nullable(),
    signal: z.string().nullable(),
    passed: z.boolean().nullable(),
    timed_out: z.boolean().nullable(),
    stdout: z.string().nullable(),
    stderr: z.string().nullable(),
    output_deleted: z.boolean().openapi({
      description: "stdout and stderr were deleted after the broker's retention period (the result stays)",
    }),
    truncated: z.object({ stdout: z.number().int(), stderr: z.number().int() }).nullable().openapi({
      description: "Bytes cut from each stream",
    }),
    result: JsonValueSchema.nullable().openapi({ description: "stdout parsed as JSON when parse_json was set" }),
    result_error: z.string().nullable(),
    error: z.string().nullable().openapi({ description: "Why the job could not run at all" }),
    created_at: IsoTimeSchema,
    finished_at: IsoTimeSchema.nullable(),
    duration_ms: z.number().nullable(),
  })
  .openapi("Job");

export type JobView = z.infer<typeof JobViewSchema>;

export function toJobView(engine: EngineContext, job: JobRecord): JobView {
  const outcome = (job.outcome ?? {}) as Record<string, unknown>;
  const has = job.outcome !== null;
  const pick = <T>(key: string): T | null => (has && outcome[key] !== undefined ? (outcome[key] as T) : null);
  return {
    id: job.id,
    number: job.number,
    session_id: job.sessionId,
    host_id: job.hostId,
    role: job.role,
    lab_id: job.labId,
    node: job.node,
    state: engine.state.jobs.stateOf(job),
    description: (job.spec.description as string | undefined) ?? null,
    argv: (job.spec.argv as string[] | undefined) ?? null,
    shell: (job.spec.shell as string | undefined) ?? null,
    background: job.spec.background === true,
    exit_code: pick("exitCode"),
    signal: pick("signal"),
    passed: pick("passed"),
    timed_out: pick("timedOut"),
    stdout: pick("stdout"),
    stderr: pick("stderr"),
    output_deleted: outcome.outputDeleted === true,
    truncated: pick("truncated"),
    result: pick("result"),
    result_error: pick("resultError"),
    error: pick("error"),
    created_at: isoTime(job.createdAt)!,
    finished_at: isoTime(job.finishedAt),
    duration_ms: pick("durationMs"),
  };
}

export const JobIdParamSchema = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });
