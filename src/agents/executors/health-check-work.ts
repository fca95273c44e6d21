import { z } from "zod";
import type { LabFootprint } from "../../hosts/health/lab-footprint.ts";
import { SESSION_MARKER_VARIABLE as SESSION_MARKER } from "../../hosts/health/session-leftovers.ts";
import type { AgentServices } from "../agent-services.ts";
import type { WorkExecutor } from "./work-executor.ts";

const HealthCheckPayloadSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("check"), session_id: z.string().nullable().default(null), host_wide: z.boolean() }),
  z.object({ mode: z.literal("baseline") }),
]);

/**
 * Checks the host after a session (or on request), or takes a new baseline. In line with lab
 * operations, so the session's restore and lab destroys queued before it have finished; and after
 * the session's jobs, which the broker has just told the agent to kill.
 */
export const healthCheck: WorkExecutor = async ({ work, services }) => {
  const request = HealthCheckPayloadSchema.parse(work.payload);
  return services.serializeLabOperation(async () => {
    if (request.mode === "baseline") {
      await services.health.takeBaseline();
      return { baseline: true };
    }
    if (request.session_id !== null) await services.jobs.settledWhere((spec) => spec.env?.[SESSION_MARKER] === request.session_id);
    return {
      ...(await services.health.check({ sessionId: request.session_id, hostWide: request.host_wide }, () => labFootprint(services))),
    };
  });
};

function labFootprint(services: AgentServices): LabFootprint {
  const footprints = Object.values(services.runtimes).flatMap((runtime) => (runtime?.hostFootprint ? [runtime.hostFootprint()] : []));
  return {
    namespaces: new Set(footprints.flatMap((footprint) => [...footprint.namespaces])),
    links: new Set(footprints.flatMap((footprint) => [...footprint.links])),
  };
}
