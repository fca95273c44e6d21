import { z } from "zod";
import { RUNTIMES } from "./runtimes.ts";

/** refresh-inventory: detect the host's runtimes and facts again. */
export const RefreshInventoryPayloadSchema = z.object({});

/** A runtime the host offers, with the tool's version when it tells one. */
export const HostRuntimeSchema = z.object({ name: z.enum(RUNTIMES), version: z.string().nullable() });
export type HostRuntime = z.infer<typeof HostRuntimeSchema>;

export const InventoryResultSchema = z.object({
  runtimes: z.array(HostRuntimeSchema),
  inventory: z.record(z.string(), z.unknown()),
});

/** health-check: check the host against its baseline (after a session, on request, periodically), or take a new baseline. */
export const HealthCheckPayloadSchema = z.discriminatedUnion("mode", [
  z.object({
    mode: z.literal("check"),
    reason: z.enum(["session-ended", "requested", "periodic"]),
    session_id: z.string().nullable().default(null),
    host_wide: z.boolean(),
  }),
  z.object({ mode: z.literal("baseline"), reason: z.literal("cleared") }),
]);

export type HealthCheckReason = Extract<z.infer<typeof HealthCheckPayloadSchema>, { mode: "check" }>["reason"];

/** A check's report (src/hosts/health/host-health-gate.ts), kept on the host as sent; or the new baseline taken. */
export const HealthCheckResultSchema = z.union([
  z.looseObject({ clean: z.boolean(), differences: z.array(z.unknown()) }),
  z.object({ baseline: z.literal(true) }),
]);
