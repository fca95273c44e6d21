import { join } from "node:path";
import type { z } from "zod";
import type { Refusal } from "../../protocol/host-operation-work.ts";
import type { WorkTargetSchema } from "../../protocol/lab-instance.ts";
import { HostRequestError } from "../../hosts/host-errors.ts";
import type { AgentServices } from "../agent-services.ts";

/**
 * Where a job or device change runs. `netns`: the node's (or the requested) network namespace;
 * `prefix`: what must come before `ip netns exec NETNS` for a job there (e.g. `sudo -n`), or the
 * whole command prefix of a runtime whose nodes are not plain namespaces (then `netns` is null);
 * `inside`: what a job's command runs under inside the namespace (an FRR node's PATH with its vtysh).
 */
export type NodePlace = { netns: string | null; prefix: string[]; inside: string[] };

/**
 * Where a job or device change runs: the host itself (or one of its namespaces), or inside a lab
 * node as its runtime says (`[PREFIX…] ip netns exec NS`).
 */
export function nodePlace(services: AgentServices, workDir: string, target: z.output<typeof WorkTargetSchema>): NodePlace {
  if (!target.lab || target.node === null) return { netns: target.netns, prefix: [], inside: [] };
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
  const at = prefix.findIndex((word, index) =>
    word === "ip" && prefix[index + 1] === "netns" && prefix[index + 2] === "exec" && prefix[index + 3] !== undefined
  );
  if (at >= 0) return { netns: prefix[at + 3]!, prefix: prefix.slice(0, at), inside: prefix.slice(at + 4) };
  return { netns: null, prefix, inside: [] };
}

/** A refusal the broker turns into the matching 4xx, as a result instead of a failure. */
export function refusal(error: unknown): Refusal {
  if (error instanceof HostRequestError) return { refused: { reason: error.reason, message: error.message } };
  throw error;
}
