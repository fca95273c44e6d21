import { parseIpPrefix } from "../../topology/ip-prefix.ts";
import type { LabNode } from "../../protocol/lab-node.ts";
import { listNamespaces } from "./host-facts.ts";
import { readIpJson } from "./ip-batch.ts";
import type { LabRecord, NodeRecord } from "./lab-record.ts";

/**
 * The nodes of a native lab as they are now. `raw` carries what `containerlab inspect --format json`
 * reports for a container (lab_name, name = namespace, kind, state, ipv4_address with prefix, …)
 * plus what a client of a namespace lab can use: management addresses, the namespace, the command
 * prefix that runs inside it, its interfaces and the results of the topology's exec commands.
 */

export interface InterfaceState {
  name: string;
  mac: string;
  mtu: number;
  state: string;
  addresses: string[];
}

interface IpAddrJson {
  ifname: string;
  address?: string;
  mtu: number;
  operstate: string;
  addr_info?: { local: string; prefixlen: number; scope?: string }[];
}

export async function inspectLab(record: LabRecord, timeoutMs: number): Promise<LabNode[]> {
  const present = listNamespaces();
  const interfaces = await Promise.all(
    record.nodes.map((node) => (present.has(node.namespace) ? namespaceInterfaces(node.namespace, timeoutMs) : null)),
  );
  return record.nodes.map((node, index) => labNode(record, node, interfaces[index] ?? null));
}

/** The argv prefix that runs a command inside a node's namespace. */
export function namespaceExecPrefix(namespace: string): string[] {
  return ["ip", "netns", "exec", namespace];
}

/**
 * The argv prefix that runs a command in a node: inside its namespace and, for an FRR node, with
 * the node's own `vtysh` (bound to its FRR instance) first on PATH, as `docker exec` finds the
 * container's vtysh.
 */
export function nodeCommandPrefix(node: NodeRecord): string[] {
  const inNamespace = namespaceExecPrefix(node.namespace);
  return node.frr ? [...inNamespace, "sh", "-c", 'PATH="$0:$PATH" exec "$@"', node.frr.binDir] : inNamespace;
}

async function namespaceInterfaces(namespace: string, timeoutMs: number): Promise<InterfaceState[]> {
  const entries = await readIpJson<IpAddrJson>(["-n", namespace, "address", "show"], { timeoutMs });
  return entries
    .filter((entry) => entry.ifname !== "lo")
    .map((entry) => ({
      name: entry.ifname,
      mac: entry.address ?? "",
      mtu: entry.mtu,
      state: entry.operstate,
      addresses: (entry.addr_info ?? []).filter((info) => info.scope !== "link").map((info) => `${info.local}/${info.prefixlen}`),
    }));
}

function labNode(record: LabRecord, node: NodeRecord, interfaces: InterfaceState[] | null): LabNode {
  const state = interfaces ? "running" : "missing";
  const withPrefix = (
    address: string | null,
    subnet: string | null,
  ) => (address && subnet ? `${address}/${parseIpPrefix(subnet)!.prefix.bits}` : "N/A");
  const raw: Record<string, unknown> = {
    lab_name: record.instanceName,
    labPath: record.topologyPath,
    absLabPath: record.topologyPath,
    name: node.namespace,
    ...(node.image ? { image: node.image } : {}),
    kind: "linux",
    ...(node.group ? { group: node.group } : {}),
    state,
    ipv4_address: withPrefix(node.mgmtIpv4, record.mgmt.ipv4Subnet),
    ipv6_address: withPrefix(node.mgmtIpv6, record.mgmt.ipv6Subnet),
    node_name: node.name,
    topology_name: record.topologyName,
    runtime: "native",
    mgmt: {
      ipv4: node.mgmtIpv4,
      ipv6: node.mgmtIpv6,
      ipv4_gateway: node.mgmtIpv4 ? record.mgmt.ipv4Gateway : null,
      ipv6_gateway: node.mgmtIpv6 ? record.mgmt.ipv6Gateway : null,
      bridge: record.mgmt.bridge,
      network: record.mgmt.network,
    },
    ansible_host: node.mgmtIpv4 ?? node.mgmtIpv6,
    // Ansible's default: the management address is the one way in from outside the host; nothing in the namespace listens unless exec starts it.
    ansible_connection: "ssh",
    netns: node.namespace,
    exec_prefix: nodeCommandPrefix(node),
    ...(node.frr ? { frr: { pathspace: node.frr.pathspace, vtysh: ["vtysh", "-N", node.frr.pathspace] } } : {}),
    interfaces: interfaces ?? [],
    exec: node.exec.map((result) => ({ cmd: result.argv, "return-code": result.returnCode, stdout: result.stdout, stderr: result.stderr })),
  };
  return {
    name: node.name,
    kind: node.netlab?.device ?? "linux",
    state,
    mgmtIpv4: node.mgmtIpv4,
    mgmtIpv6: node.mgmtIpv6,
    raw: node.netlab ? { ...raw, ...netlabView(node.netlab) } : raw,
  };
}

/** What `netlab inspect` gives clients for a node: its netlab data and the Ansible variables of its device. */
function netlabView(node: NonNullable<NodeRecord["netlab"]>): Record<string, unknown> {
  return { ...node, ansible_host: node.mgmt.ipv4, ansible_network_os: node.device, ansible_user: "root" };
}
