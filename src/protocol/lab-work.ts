import { z } from "zod";
import { LabInstanceSchema } from "./lab-instance.ts";
import { LabNodeSchema } from "./lab-node.ts";
import type { RUNTIMES } from "./runtimes.ts";
import type { WorkKind } from "./work-kinds.ts";

/**
 * The work that changes a host's network for a lab, each with what it does (for messages): a stopping agent lets it finish
 * rather than leave a lab half made or half removed, and the broker gives it up on a host offline too long.
 */
export const LAB_WORK_VERBS: Partial<Record<WorkKind, string>> = { "deploy-lab": "deploy", "destroy-lab": "destroy", "reset-lab": "reset" };

/** deploy-lab: fetch the lab's files and deploy it; the lab id travels in the work envelope. */
export const DeployLabPayloadSchema = LabInstanceSchema.extend({
  timeout_ms: z.number().int().positive(),
  /** Deploy so that the lab can be reset later (it may go warm). */
  keep_baseline: z.boolean().default(false),
});
export const DeployLabResultSchema = z.object({ nodes: z.array(LabNodeSchema) });

/** destroy-lab: remove a lab, or an instance no lab owns (its topology file then unknown). */
export const DestroyLabPayloadSchema = LabInstanceSchema.extend({
  topology_file: z.string().nullable(),
  /** Why, for the record; the agent does not act on it. */
  reason: z.string(),
});
export const DestroyLabResultSchema = z.object({ destroyed: z.string() });

/** The runtimes that can reset a lab to its deployed baseline, so only their labs go warm. */
export const RESETTABLE_RUNTIMES: readonly (typeof RUNTIMES)[number][] = ["native"];

/**
 * reset-lab: bring a lab that no session holds any more back to how it was deployed (a warm lab).
 * `session_id` is the session that released it: its jobs are waited for first.
 */
export const ResetLabPayloadSchema = LabInstanceSchema.extend({
  timeout_ms: z.number().int().positive(),
  session_id: z.string().nullable(),
});
export const ResetLabResultSchema = DeployLabResultSchema;
