import { z } from "zod";
import { RUNTIMES } from "./runtimes.ts";

/** What the agent accepts as an instance name (it names a folder); a lab name with its suffixes always fits. */
export const INSTANCE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-._]{0,127}$/;

/** A lab instance on a host, as work names it: the agent finds its folder, runtime and nodes by it. */
export const LabInstanceSchema = z.object({
  instance_name: z.string().regex(INSTANCE_NAME, "must be a safe instance name"),
  runtime: z.enum(RUNTIMES),
  topology_file: z.string(),
  /** netlab's multilab id when the host runs several netlab labs at once. */
  multilab_id: z.number().int().nullable(),
});

export type LabInstance = z.infer<typeof LabInstanceSchema>;

/** Where a job or device operation runs: the host, one of its namespaces, or a node of a lab instance. */
export const WorkTargetSchema = z.object({
  lab: LabInstanceSchema.nullable().default(null),
  node: z.string().nullable().default(null),
  /** A named network namespace on the host (device operations on a role's host). */
  netns: z.string().nullable().default(null),
});

export type WorkTarget = z.input<typeof WorkTargetSchema>;
