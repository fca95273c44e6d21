import { z } from "zod";
import { DEFAULT_MAX_OUTPUT_BYTES, jobFields, MAX_JOB_TIMEOUT_MS } from "../../validation/job-fields.ts";
import { parseRequest } from "../parse-request.ts";

/**
 * What to run, as the agent receives it. Exactly one of `argv` (run as is) or `shell` (run with
 * `sh -c`). Foreground jobs need a bound; a background job may run until it is killed.
 */
export const jobSpecSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "must be 1-128 letters, digits, '.', '_', ':' or '-'"),
    argv: jobFields.argv.optional(),
    shell: jobFields.shell.optional(),
    background: z.boolean().default(false),
    timeoutMs: z.number().int().min(1).max(MAX_JOB_TIMEOUT_MS).optional(),
    cwd: jobFields.cwd.optional(),
    env: jobFields.env.optional(),
    netns: jobFields.netns.optional(),
    parseJson: z.boolean().default(false),
    expectFailure: z.boolean().default(false),
    /** Per stream; what is beyond it is cut, counted and marked. */
    maxOutputBytes: jobFields.maxOutputBytes.default(DEFAULT_MAX_OUTPUT_BYTES),
    description: jobFields.description.optional(),
  })
  .strict()
  .refine((spec) => (spec.argv === undefined) !== (spec.shell === undefined), {
    message: "give exactly one of argv or shell",
    path: ["argv"],
  })
  .refine((spec) => spec.background || spec.timeoutMs !== undefined, { message: "a foreground job needs timeoutMs", path: ["timeoutMs"] });

/** A job request as sent (defaults not yet applied). */
export type JobRequest = z.input<typeof jobSpecSchema>;
/** A validated job request with its defaults. */
export type JobSpec = z.output<typeof jobSpecSchema>;

/** Validates a job request; the error names every bad field. */
export function parseJobSpec(request: unknown): JobSpec {
  return parseRequest(jobSpecSchema, request, "job request");
}

/** The command line a job runs. */
export function jobArgv(spec: JobSpec): string[] {
  return spec.shell !== undefined ? ["sh", "-c", spec.shell] : spec.argv!;
}
