import { UnprocessableError } from "../errors.ts";
import type { Host, RuntimeName } from "../model.ts";
import type { ClassifiedTopology } from "./classify-topology.ts";

/**
 * The runtime that deploys a topology on a host: netlab topologies need netlab; containerlab
 * topologies use containerlab where the host has it, else the native runtime. A requested runtime
 * must fit both the topology and the host.
 */
export function chooseRuntime(host: Host, topology: ClassifiedTopology, requested: RuntimeName | null): RuntimeName {
  const offered = new Set(host.runtimes.map((runtime) => runtime.name));
  const fitting: RuntimeName[] = topology.kind === "netlab" ? ["netlab"] : ["containerlab", "native"];
  if (requested && !fitting.includes(requested)) {
    throw new UnprocessableError(`Runtime ${requested} cannot deploy a ${topology.kind} topology; use ${fitting.join(" or ")}`);
  }
  const candidates = requested ? [requested] : fitting;
  const chosen = candidates.find((runtime) => offered.has(runtime));
  if (!chosen) {
    throw new UnprocessableError(
      `Host "${host.name}" does not offer runtime ${candidates.join(" or ")}, which this ${topology.kind} topology needs (it offers: ${[...offered].join(", ") || "nothing"})`,
    );
  }
  return chosen;
}
