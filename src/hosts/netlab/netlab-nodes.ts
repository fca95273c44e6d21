import { z } from "zod";
import type { LabNode } from "../../protocol/lab-node.ts";
import { nodeState, type NodeStatus } from "./netlab-status.ts";

/** Node data as `netlab inspect --format json` prints it: a mapping per node, `mgmt` carrying the addresses. */
export const nodeData = z.looseObject({
  device: z.string().optional(),
  mgmt: z.looseObject({ ipv4: z.string().optional(), ipv6: z.string().optional() }).optional(),
});

export const nodesData = z.record(z.string(), nodeData);

export type NodeData = z.infer<typeof nodeData>;

/**
 * One netlab node as a LabNode. `raw` is the node data of `inspect nodes` (name, device, box, id,
 * mgmt, hostname, interfaces…) merged with the single-node view of `inspect --node`, which adds
 * the Ansible group vars: `ansible_host`, `ansible_user`, `ansible_ssh_pass`,
 * `ansible_connection`, `ansible_network_os` — exactly as netlab reports them.
 */
export function netlabLabNode(name: string, listed: NodeData, single: NodeData, status: NodeStatus | undefined): LabNode {
  const raw = { ...listed, ...single };
  return {
    name,
    kind: raw.device ?? listed.device ?? "",
    state: nodeState(status?.status),
    mgmtIpv4: raw.mgmt?.ipv4 ?? null,
    mgmtIpv6: raw.mgmt?.ipv6 ?? null,
    raw,
  };
}
