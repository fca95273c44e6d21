import { isAbsolute } from "node:path";
import { z } from "zod";
import { parseRequest } from "../parse-request.ts";

/** setTimeout's largest delay (about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

const noNul = (what: string) => z.string().refine((text) => !text.includes("\0"), `${what} must not contain NUL bytes`);

/**
 * What to run, as the agent receives it. Exactly one of `argv` (run as is) or `shell` (run with
 * `sh -c`). Foreground jobs need a bound; a background job may run until it is killed.
 */
export const jobSpecSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "must be 1-128 letters, digits, '.', '_', ':' or '-'"),
    argv: z.array(noNul("argv entries")).min(1).optional(),
    shell: noNul("a shell command").min(1).optional(),
    background: z.boolean().default(false),
    timeoutMs: z.number().int().min(1).max(MAX_TIMEOUT_MS).optional(),
    cwd: noNul("cwd").refine(isAbsolute, "must be an absolute path").optional(),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a variable name"), noNul("environment values")).optional(),
    netns: z.string().min(1).optional(),
    parseJson: z.boolean().default(false),
    expectFailure: z.boolean().default(false),
    /** Per stream; what is beyond it is cut, counted and marked. */
    maxOutputBytes: z.number().int().min(0).max(MAX_OUTPUT_BYTES).default(DEFAULT_MAX_OUTPUT_BYTES),
    description: z.string().max(500).optional(),
  })
  .strict()
  .refine((spec) => (spec.argv === undefined) !== (spec.shell === undefined), { message: "give exactly one of argv or shell", path: ["argv"] })
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
