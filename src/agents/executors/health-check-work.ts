import type { LabFootprint } from "../../hosts/health/lab-footprint.ts";
import { SESSION_MARKER_VARIABLE as SESSION_MARKER } from "../../hosts/health/session-leftovers.ts";
import type { AgentServices } from "../agent-services.ts";
import type { WorkExecutor } from "./work-executor.ts";

/**
 * Checks the host after a session (or on request), or takes a new baseline. In line with lab
 * operations, so the session's restore and lab destroys queued before it have finished; and after
 * the session's jobs, which the broker has just told the agent to kill.
 */
export const healthCheck: WorkExecutor<"health-check"> = async ({ payload: request, services }) => {
  return services.serializeLabOperation(async () => {
    if (request.mode === "baseline") {
      await services.health.takeBaseline();
      return { baseline: true as const };
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
