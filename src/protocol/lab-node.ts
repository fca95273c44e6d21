import { z } from "zod";

/** One node of a deployed lab, as the agent's runtime reports it and the broker keeps it. */
export const LabNodeSchema = z.object({
  name: z.string(),
  kind: z.string(),
  /** `running`, `exited`, … as the runtime reports it. */
  state: z.string(),
  mgmtIpv4: z.string().nullable(),
  mgmtIpv6: z.string().nullable(),
  /** The node data as the runtime reports it: `devices[].raw` of the Remote Lab API. */
  raw: z.record(z.string(), z.unknown()),
});

export type LabNode = z.infer<typeof LabNodeSchema>;
