import { z } from "zod";
import { LabInstanceSchema } from "./lab-instance.ts";
import { LabNodeSchema } from "./lab-node.ts";

/** deploy-lab: fetch the lab's files and deploy it; the lab id travels in the work envelope. */
export const DeployLabPayloadSchema = LabInstanceSchema.extend({ timeout_ms: z.number().int().positive() });
export const DeployLabResultSchema = z.object({ nodes: z.array(LabNodeSchema) });

/** destroy-lab: remove a lab, or an instance no lab owns (its topology file then unknown). */
export const DestroyLabPayloadSchema = LabInstanceSchema.extend({
  topology_file: z.string().nullable(),
  /** Why, for the record; the agent does not act on it. */
  reason: z.string(),
});
export const DestroyLabResultSchema = z.object({ destroyed: z.string() });
