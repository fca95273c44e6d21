import { UnprocessableError } from "../errors.ts";
import type { Host } from "../model.ts";
import type { RuntimeName } from "../../protocol/runtimes.ts";
import type { ClassifiedTopology } from "./classify-topology.ts";

/**
 * The runtime that deploys a topology on a host: netlab topologies use netlab where the host has
 * it, else the native runtime when they fit its netlab subset; containerlab topologies use
 * containerlab where the host has it, else the native runtime. A requested runtime must fit both
 * the topology and the host.
 */
export function chooseRuntime(host: Host, topology: ClassifiedTopology, requested: RuntimeName | null): RuntimeName {
  const offered = new Set(host.runtimes.map((runtime) => runtime.name));
  const outside = topology.outsideNativeSubset;
  const fitting: RuntimeName[] = topology.kind === "netlab"
    ? ["netlab", ...(outside.length === 0 ? ["native" as const] : [])]
    : ["containerlab", "native"];
  if (requested && !fitting.includes(requested)) {
    const why = requested === "native" && topology.kind === "netlab"
      ? ` (outside the native runtime's netlab subset: ${outside.join(", ")})`
      : "";
    throw new UnprocessableError(`Runtime ${requested} cannot deploy this ${topology.kind} topology${why}; use ${fitting.join(" or ")}`);
  }
  const candidates = requested ? [requested] : fitting;
  const chosen = candidates.find((runtime) => offered.has(runtime));
  if (!chosen && topology.kind === "netlab" && outside.length > 0 && offered.has("native")) {
    throw new UnprocessableError(
      `Host "${host.name}" has no netlab, and this netlab topology is outside the native runtime's netlab subset: ${outside.join(", ")}`,
    );
  }
  if (!chosen) {
    throw new UnprocessableError(
      `Host "${host.name}" does not offer runtime ${candidates.join(" or ")}, which this ${topology.kind} topology needs (it offers: ${
        [...offered].join(", ") || "nothing"
      })`,
    );
  }
  return chosen;
}
