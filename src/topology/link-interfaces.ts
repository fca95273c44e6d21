import { TopologyError } from "./topology-error.ts";
import type { LinkEndpoint, TopologyLink, TopologyNode } from "./containerlab-model.ts";
import { interfaceNameProblem } from "./interface-name.ts";

/**
 * Interface names must be valid Linux names and unique where they live: per node namespace for
 * node endpoints, and across the whole host namespace for host, bridge-port and mgmt-net
 * endpoints (which also must not take a bridge's name).
 */
export function checkEndpointInterfaces(
  links: readonly TopologyLink[],
  nodes: ReadonlyMap<string, TopologyNode>,
  mgmtBridge: string | null,
): void {
  const owners = new Map<string, string>();
  for (const node of nodes.values()) if (node.kind === "bridge") owners.set(hostScoped(node.name), `bridge node ${node.name}`);
  if (mgmtBridge) owners.set(hostScoped(mgmtBridge), "mgmt.bridge");

  for (const endpoint of links.flatMap((link) => (link.type === "veth" ? link.endpoints : [link.endpoint]))) {
    const problem = interfaceNameProblem(endpoint.interface);
    if (problem) throw new TopologyError(endpoint.field, problem);
    if (endpoint.placement === "namespace") checkNodeInterface(endpoint, nodes.get(endpoint.node)!);
    const key = endpoint.placement === "namespace" ? `node ${endpoint.node} ${endpoint.interface}` : hostScoped(endpoint.interface);
    const owner = owners.get(key);
    if (owner) {
      const where = endpoint.placement === "namespace" ? `on node ${endpoint.node}` : "in the host namespace";
      throw new TopologyError(endpoint.field, `interface "${endpoint.interface}" is already used ${where} by ${owner}`);
    }
    owners.set(key, endpoint.field);
  }
}

function checkNodeInterface(endpoint: LinkEndpoint, node: TopologyNode): void {
  if (endpoint.interface === "lo") throw new TopologyError(endpoint.field, `"lo" is the loopback interface of node ${node.name}`);
  if (endpoint.interface === "eth0" && node.hasMgmtInterface) {
    throw new TopologyError(
      endpoint.field,
      `eth0 interface name is not allowed for ${node.name} node when network mode is not set to none: eth0 is its management interface`,
    );
  }
}

function hostScoped(name: string): string {
  return `host ${name}`;
}
