import { z } from "@hono/zod-openapi";
import type { EngineContext } from "../../engine/context.ts";
import { hostById } from "../../engine/hosts/list-hosts.ts";
import { currentLab } from "../../engine/labs/acquire-lab.ts";
import type { Lab } from "../../engine/labs/lab.ts";
import type { Session } from "../../engine/model.ts";
import { DeviceSchema } from "../labs/lab-schemas.ts";

export const CompatLabStatusSchema = z
  .object({
    running: z.boolean(),
    topology: z.string().nullable().openapi({ description: "The topology file name of the current lab" }),
    ref_count: z.number().int(),
    devices: z.array(DeviceSchema),
    netlab_status: z.string().nullable().openapi({ description: "The lab state for netlab labs, null otherwise" }),
  })
  .openapi("CompatLabStatus");

/** The lab on the session's host that the Remote Lab routes act on. */
export function compatLab(engine: EngineContext, session: Session): Lab | undefined {
  const hostId = Object.values(session.assignments ?? {})[0];
  const host = hostId ? hostById(engine, hostId) : undefined;
  return host ? currentLab(engine, session, host) : undefined;
}
