import { z } from "zod";
import { RUNTIMES } from "./runtimes.ts";

/** The runtimes that can reset a lab to its deployed baseline, so only their labs go warm. */
export const RESETTABLE_RUNTIMES: readonly (typeof RUNTIMES)[number][] = ["native"];

/**
 * A `reset-lab` work item: bring a lab that no session holds any more back to how it was deployed
 * (a warm lab). `session_id` is the session that released it: its jobs are waited for first.
 */
export const ResetLabPayloadSchema = z.object({
  instance_name: z.string().min(1),
  runtime: z.enum(RUNTIMES),
  topology_file: z.string().min(1),
  multilab_id: z.number().int().nullable(),
  timeout_ms: z.number().int().positive(),
  session_id: z.string().nullable(),
});

export type ResetLabPayload = z.infer<typeof ResetLabPayloadSchema>;
