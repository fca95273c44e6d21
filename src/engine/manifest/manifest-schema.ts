import { z } from "zod";
import { CI_SYSTEMS, END_REASONS, SESSION_STATES } from "../model.ts";
import { RUNTIMES } from "../../protocol/runtimes.ts";

/**
 * The reproducibility manifest of a session: what a test run ran on and what it did. Its JSON
 * Schema (docs/session-manifest.schema.json) is generated from this one.
 */
const Time = z.string().describe("ISO 8601 time, UTC");
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/).describe("SHA-256, hex");

const ManifestHost = z.object({
  role: z.string(),
  id: z.string(),
  name: z.string(),
  facts_at: Time.nullable().describe(
    "When the facts were taken (the session's activation); null when only the host's facts now were known",
  ),
  labels: z.record(z.string(), z.string()),
  agent_version: z.string().nullable(),
  runtimes: z.array(z.object({ name: z.string(), version: z.string().nullable() })).describe(
    "Runtimes and tool versions (iproute2 for native, containerlab, netlab)",
  ),
  hostname: z.string().nullable(),
  kernel: z.string().nullable(),
  arch: z.string().nullable(),
  cpus: z.number().int().nullable(),
  cpu_model: z.string().nullable(),
  memory_bytes: z.number().int().nullable(),
});

const ManifestLab = z.object({
  id: z.string(),
  instance_name: z.string(),
  role: z.string().nullable().describe("The role of the host it ran on"),
  host: z.string(),
  runtime: z.enum(RUNTIMES),
  state: z.string(),
  error: z.string().nullable(),
  topology: z.object({
    name: z.string(),
    file: z.string(),
    sha256: Sha256.describe("Of the topology file's content"),
    files: z.array(z.object({ path: z.string(), size: z.number().int(), sha256: Sha256.nullable() })).describe(
      "The uploaded files, the topology included",
    ),
  }),
  nodes: z.array(
    z.object({ name: z.string(), kind: z.string().nullable(), mgmt_ipv4: z.string().nullable(), mgmt_ipv6: z.string().nullable() }),
  ),
  notes: z.array(z.string()),
  created_at: Time,
  running_at: Time.nullable(),
  ended_at: Time.nullable().describe("When it became inactive"),
});

const ManifestJob = z.object({
  id: z.string(),
  number: z.number().int(),
  role: z.string(),
  host: z.string(),
  lab_id: z.string().nullable(),
  node: z.string().nullable(),
  description: z.string().nullable(),
  command: z.object({
    argv: z.array(z.string()).nullable(),
    shell: z.string().nullable(),
    cwd: z.string().nullable(),
    netns: z.string().nullable(),
    env_names: z.array(z.string()).describe("The variables the job set (values are left out: they may hold secrets)"),
    background: z.boolean(),
    timeout_s: z.number().nullable(),
    expect_failure: z.boolean(),
  }),
  started_at: Time,
  finished_at: Time.nullable(),
  outcome: z.enum(["running", "passed", "failed", "timed_out", "killed", "error"]),
  exit_code: z.number().int().nullable(),
  signal: z.string().nullable(),
});

const ManifestChange = z.object({
  at: Time,
  role: z.string().nullable(),
  host: z.string(),
  operation: z.record(z.string(), z.unknown()).nullable().describe(
    "The device operation as requested (null for changes recorded before manifests)",
  ),
  undo: z.array(z.record(z.string(), z.unknown())).describe("How the change is undone, in the order applied"),
  restored: z.boolean(),
});

const TimelineEntry = z.object({
  at: Time,
  event: z.enum(["queued", "active", "lab-created", "lab-running", "lab-ended", "ended"]),
  lab: z.string().nullable().describe("The lab instance, for lab events"),
});

export const SessionManifestSchema = z
  .object({
    manifest_version: z.literal(1),
    session: z.object({
      id: z.string(),
      state: z.enum(SESSION_STATES),
      end_reason: z.enum(END_REASONS).nullable(),
      priority: z.number().int(),
      requirements: z.array(
        z.object({
          role: z.string(),
          labels: z.record(z.string(), z.string()),
          runtime: z.string().nullable(),
          host: z.string().nullable(),
        }),
      ),
      walltime_s: z.number().nullable(),
    }),
    ci_job: z
      .object({
        name: z.string().nullable(),
        system: z.enum(CI_SYSTEMS).nullable(),
        job_url: z.string().nullable(),
        job_id: z.string().nullable(),
        pipeline: z.string().nullable(),
        pipeline_url: z.string().nullable(),
        commit: z.string().nullable(),
        branch: z.string().nullable(),
      })
      .describe("Who asked for the session (all null outside CI)"),
    timeline: z.array(TimelineEntry),
    hosts: z.array(ManifestHost),
    labs: z.array(ManifestLab),
    jobs: z.array(ManifestJob),
    device_changes: z.array(ManifestChange),
    results: z.array(z.object({ at: Time, description: z.string(), verdict: z.enum(["PASS", "FAIL"]) })).describe(
      "Results the test recorded itself",
    ),
    content_hash: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/)
      .describe("sha256 of the manifest without this field, serialized canonically: JSON with object keys sorted, no whitespace"),
  })
  .strict();

export type SessionManifest = z.infer<typeof SessionManifestSchema>;
