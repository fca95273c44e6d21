import { createHash } from "node:crypto";
import { TopologyError } from "../topology-error.ts";
import {
  type ContainerlabTopology,
  type LinkEndpoint,
  nodeWithoutNamespace,
  type TopologyLink,
  type TopologyNode,
} from "../containerlab-model.ts";
import { netlabFrrConfig, netlabFrrDaemons } from "./netlab-frr-config.ts";
import { readNetlabInput } from "./netlab-input.ts";
import { unsupportedNetlabKeys } from "./netlab-subset.ts";
import { type NetlabLab, type NetlabNode, transformNetlab } from "./netlab-transform.ts";

/**
 * A netlab topology in the native subset as the lab the native runtime builds: netlab's
 * assignments (see netlab-transform.ts) turned into namespaces, FRR instances with generated
 * configuration, veths for p2p links and a host bridge per LAN, on netlab's management network.
 */

export interface NativeNetlabLab {
  topology: ContainerlabTopology;
  netlab: NetlabLab;
}

const MGMT_SUBNET = "192.168.121.0/24";
const MGMT_GATEWAY = "192.168.121.1";
const NETLAB_MTU = 1500;
/** Shown as the node's image, as netlab's clab provider would start it. */
const FRR_IMAGE = "quay.io/frrouting/frr";
/** The address pools netlab's hosts reach through their first router. */
const HOST_ROUTES = ["10.0.0.0/24", "10.1.0.0/16", "172.16.0.0/16"];

export function nativeNetlabLab(document: unknown, instanceName: string, labName: string): NativeNetlabLab {
  const input = readNetlabInput(document);
  const unsupported = unsupportedNetlabKeys(input);
  if (unsupported.length > 0) throw new TopologyError("topology", `outside the native runtime's netlab subset: ${unsupported.join(", ")}`);
  const netlab = transformNetlab(input, labName);
  const bridgeTag = createHash("sha256").update(instanceName).digest("hex").slice(0, 6);
  const bridges = netlab.links.filter((link) => link.type !== "p2p").map((link) => ({ link, name: `nlb${bridgeTag}${link.linkindex}` }));
  const nodes: TopologyNode[] = [
    ...netlab.nodes.map(topologyNode),
    ...bridges.map(({ name }) => nodeWithoutNamespace(name, "bridge", null)),
  ];
  const links: TopologyLink[] = netlab.links.flatMap((link, index): TopologyLink[] => {
    const field = `links[${index}]`;
    const endpoint = (node: string, ifname: string | null): LinkEndpoint => ({
      field,
      node,
      interface: ifname ?? "",
      mac: null,
      placement: "namespace",
    });
    if (link.type === "p2p") {
      return [{
        type: "veth",
        field,
        mtu: NETLAB_MTU,
        endpoints: [
          endpoint(link.interfaces[0]!.node, link.interfaces[0]!.ifname),
          endpoint(link.interfaces[1]!.node, link.interfaces[1]!.ifname),
        ],
      }];
    }
    const bridge = bridges.find((candidate) => candidate.link === link)!.name;
    return link.interfaces.map((intf, port) => ({
      type: "veth" as const,
      field,
      mtu: NETLAB_MTU,
      endpoints: [endpoint(intf.node, intf.ifname), {
        field,
        node: bridge,
        interface: `${bridge}p${port}`,
        mac: null,
        placement: "bridge" as const,
      }],
    }));
  });
  const topology: ContainerlabTopology = {
    name: labName,
    prefix: "clab",
    mgmt: {
      network: "netlab_mgmt",
      bridge: null,
      mtu: null,
      ipv4: { subnet: MGMT_SUBNET, gateway: MGMT_GATEWAY, range: null, origin: "topology" },
      ipv6: null,
    },
    nodes,
    links,
  };
  return { topology, netlab };
}

function topologyNode(node: NetlabNode): TopologyNode {
  const common = {
    name: node.name,
    kind: "linux" as const,
    group: null,
    hasMgmtInterface: true,
    mgmtIpv4: node.mgmt.ipv4,
    mgmtIpv6: null,
    execFailureAllowed: false,
    env: {},
    sysctls: {},
  };
  if (node.device === "frr") {
    return {
      ...common,
      image: FRR_IMAGE,
      frr: { files: { "frr.conf": { text: netlabFrrConfig(node) }, daemons: { text: netlabFrrDaemons(node) } } },
      exec: [],
    };
  }
  return { ...common, image: null, frr: null, exec: hostCommands(node) };
}

/** A linux host: its addresses, and netlab's pools through the first router it is attached to. */
function hostCommands(node: NetlabNode): string[] {
  const addresses = node.interfaces.flatMap((intf) => (intf.ipv4 && intf.ifname ? [`ip address add ${intf.ipv4} dev ${intf.ifname}`] : []));
  const gateway =
    node.interfaces.flatMap((intf) => intf.neighbors.filter((neighbor) => neighbor.ipv4).map((neighbor) => ({ intf, neighbor })))[0];
  const routes = gateway
    ? HOST_ROUTES.map((pool) => `ip route add ${pool} via ${gateway.neighbor.ipv4!.split("/")[0]} dev ${gateway.intf.ifname}`)
    : [];
  return [...addresses, ...routes];
}
