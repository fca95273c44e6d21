import { join } from "node:path";
import { z } from "zod";
import { RUNTIMES } from "../../engine/model.ts";
import { HostRequestError } from "../../hosts/host-errors.ts";
import type { AgentServices } from "../agent-services.ts";

export const TargetPayloadSchema = z.object({
  lab: z
    .object({ instance_name: z.string(), runtime: z.enum(RUNTIMES), topology_file: z.string(), multilab_id: z.number().int().nullable() })
    .nullable()
    .default(null),
  node: z.string().nullable().default(null),
  /** A named network namespace on the host (device operations on a role's host). */
  netns: z.string().nullable().default(null),
});

/**
 * Where a job or device change runs. `netns`: the node's (or the requested) network namespace;
 * `prefix`: what must come before `ip netns exec NETNS` for a job there (e.g. `sudo -n`), or the
 * whole command prefix of a runtime whose nodes are not plain namespaces (then `netns` is null).
 */
export type NodePlace = { netns: string | null; prefix: string[] };

/**
 * Where a job or device change runs: the host itself (or one of its namespaces), or inside a lab
 * node as its runtime says (`[PREFIX…] ip netns exec NS`).
 */
export function nodePlace(services: AgentServices, workDir: string, payload: unknown): NodePlace {
  const target = TargetPayloadSchema.parse(payload);
  if (!target.lab || target.node === null) return { netns: target.netns, prefix: [] };
  const runtime = services.runtimes[target.lab.runtime];
  if (!runtime) throw new HostRequestError("unsupported", `This host does not offer runtime ${target.lab.runtime}`);
  const prefix = runtime.nodeExecPrefix(
    {
      labId: "",
      instanceName: target.lab.instance_name,
      workDir: join(workDir, "labs", target.lab.instance_name),
      topologyFile: target.lab.topology_file,
      ...(target.lab.multilab_id !== null ? { multilabId: target.lab.multilab_id } : {}),
      timeoutMs: 0,
    },
    target.node,
  );
  const [ip, netns, exec, namespace, ...rest] = prefix.slice(-4);
  if (ip === "ip" && netns === "netns" && exec === "exec" && namespace && rest.length === 0) return { netns: namespace, prefix: prefix.slice(0, -4) };
  return { netns: null, prefix };
}

/** A refusal the broker turns into the matching 4xx, as a result instead of a failure. */
export function refusal(error: unknown): Record<string, unknown> {
  if (error instanceof HostRequestError) return { refused: { reason: error.reason, message: error.message } };
  throw error;
}
