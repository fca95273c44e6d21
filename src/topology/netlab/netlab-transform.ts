import { TopologyError } from "../topology-error.ts";
import { type Attributes, isRecord, type NetlabInput } from "./netlab-input.ts";

/**
 * What `netlab create` assigns, for the native subset, following netlab's own code
 * (netsim/augment/nodes.py, links.py, defaults/addressing.yml): node ids in node order after the
 * static ones; loopbacks and router ids from 10.0.0.0/24; management addresses 192.168.121.(100+id)
 * and MACs ca:fe:00:<id>:00:00; interfaces eth1, eth2… per node in link order; p2p links (two
 * routers) /30s from 10.1.0.0/16 with .1/.2 in node-name order; LANs (more nodes, or any host)
 * /24s from 172.16.0.0/16 with the node id as host part; OSPF area 0.0.0.0 unless set, p2p links
 * as point-to-point, links with a single router passive.
 */

export interface NetlabNeighbor {
  node: string;
  ifname: string | null;
  ipv4: string | null;
}

export interface NetlabInterface {
  ifindex: number;
  ifname: string | null;
  linkindex: number;
  type: LinkType;
  ipv4: string | null;
  neighbors: NetlabNeighbor[];
  ospf?: { area: string; network_type?: "point-to-point"; passive: boolean };
}

export interface NetlabNode {
  name: string;
  id: number;
  device: string;
  role: "router" | "host";
  module: string[];
  loopback: { ifname: string; ipv4: string } | null;
  router_id: string | null;
  mgmt: { ifname: string; ipv4: string; mac: string };
  interfaces: NetlabInterface[];
  ospf?: { area: string; router_id: string };
}

export interface NetlabLink {
  linkindex: number;
  type: LinkType;
  prefix: { ipv4: string };
  interfaces: { node: string; ifindex: number; ifname: string | null; ipv4: string | null }[];
}

export interface NetlabLab {
  name: string;
  nodes: NetlabNode[];
  links: NetlabLink[];
}

type LinkType = "p2p" | "lan" | "stub";

/** Interface names and roles of the devices the transformation knows; others get no interface names. */
const DEVICES: Record<string, { role: "router" | "host"; ifname: boolean }> = {
  frr: { role: "router", ifname: true },
  linux: { role: "host", ifname: true },
  none: { role: "router", ifname: true },
};
const MAX_NODE_ID = 150;
const POOLS = { loopback: [10, 0, 0, 0], p2p: [10, 1, 0, 0], lan: [172, 16, 0, 0], mgmt: [192, 168, 121, 0] } as const;
const MGMT_START = 100;

export function transformNetlab(input: NetlabInput, labName: string): NetlabLab {
  const names = [...input.nodes.keys()];
  const ids = assignIds(input);
  const nodes = new Map(names.map((name) => [name, newNode(input, name, ids.get(name)!)]));
  const counters = { p2p: 0, lan: 0 };
  const links = input.links.map((link, index) => buildLink(link, index + 1, nodes, counters));
  for (const link of input.links.keys()) applyOspf(input, input.links[link]!.attributes, links[link]!, nodes);
  return { name: labName, nodes: [...nodes.values()], links };
}

function assignIds(input: NetlabInput): Map<string, number> {
  const ids = new Map<string, number>();
  for (const [name, attributes] of input.nodes) {
    if (attributes.id === undefined) continue;
    const id = attributes.id;
    if (typeof id !== "number" || !Number.isInteger(id) || id < 1 || id > MAX_NODE_ID) {
      throw new TopologyError(`nodes.${name}.id`, `must be an integer from 1 to ${MAX_NODE_ID}`);
    }
    if ([...ids.values()].includes(id)) throw new TopologyError(`nodes.${name}.id`, `${id} is used by another node`);
    ids.set(name, id);
  }
  let next = 1;
  for (const name of input.nodes.keys()) {
    if (ids.has(name)) continue;
    while ([...ids.values()].includes(next)) next++;
    if (next > MAX_NODE_ID) throw new TopologyError("nodes", `more than ${MAX_NODE_ID} nodes`);
    ids.set(name, next);
  }
  return ids;
}

/** A node's value for `key`: its own, else the first group's that lists it, else the topology's. */
function inherited(input: NetlabInput, name: string, key: string): unknown {
  const own = input.nodes.get(name)![key];
  if (own !== undefined) return own;
  for (const group of input.groups.values()) {
    if (group.members.includes(name) && group.attributes[key] !== undefined) return group.attributes[key];
  }
  return undefined;
}

function newNode(input: NetlabInput, name: string, id: number): NetlabNode {
  const device = (inherited(input, name, "device") ?? (input.document.defaults as Attributes | undefined)?.device) as string | undefined;
  if (typeof device !== "string") {
    throw new TopologyError(`nodes.${name}.device`, "is not set (set it on the node, a group or defaults.device)");
  }
  const known = DEVICES[device];
  const role = known?.role ?? "router";
  const modules = [...moduleList(input.document.module), ...moduleList(inherited(input, name, "module"))].filter((module, index, all) =>
    all.indexOf(module) === index
  );
  const loopback = role === "router" ? address(POOLS.loopback, id) : null;
  return {
    name,
    id,
    device,
    role,
    module: role === "router" ? modules : [],
    loopback: loopback ? { ifname: "lo", ipv4: `${loopback}/32` } : null,
    // netlab sets a router id only on nodes that run a routing protocol.
    router_id: role === "router" && modules.length > 0 ? loopback : null,
    mgmt: { ifname: "eth0", ipv4: address(POOLS.mgmt, MGMT_START + id), mac: `ca:fe:00:${id.toString(16).padStart(2, "0")}:00:00` },
    interfaces: [],
  };
}

function buildLink(
  link: NetlabInput["links"][number],
  linkindex: number,
  nodes: Map<string, NetlabNode>,
  counters: { p2p: number; lan: number },
): NetlabLink {
  const attached = link.nodes.map((name) => nodes.get(name)!);
  const hosts = attached.filter((node) => node.role === "host").length;
  const type: LinkType = attached.length > 2 || hosts > 0 ? "lan" : attached.length === 2 ? "p2p" : "stub";
  const pool = type === "p2p" ? "p2p" : "lan";
  const network = type === "p2p" ? address(POOLS.p2p, 4 * counters.p2p++) : address(POOLS.lan, 256 * counters.lan++);
  const bits = type === "p2p" ? 30 : 24;
  const sorted = [...attached].map((node) => node.name).sort();
  const hostPart = (node: NetlabNode) => (pool === "p2p" ? sorted.indexOf(node.name) + 1 : node.id);
  const interfaces = attached.map((node) => {
    const ifindex = node.interfaces.length + 1;
    const ifname = DEVICES[node.device]?.ifname ? `eth${ifindex}` : null;
    const ipv4 = `${address(octets(network), hostPart(node))}/${bits}`;
    return { node: node.name, ifindex, ifname, ipv4 };
  });
  for (const [index, node] of attached.entries()) {
    const own = interfaces[index]!;
    node.interfaces.push({
      ifindex: own.ifindex,
      ifname: own.ifname,
      linkindex,
      type,
      ipv4: own.ipv4,
      neighbors: interfaces.filter((_, other) => other !== index).map(({ node: neighbor, ifname, ipv4 }) => ({
        node: neighbor,
        ifname,
        ipv4,
      })),
    });
  }
  return { linkindex, type, prefix: { ipv4: `${network}/${bits}` }, interfaces };
}

/** OSPF on the routers that run the module: an area per link (or the node's, or the topology's), point-to-point on p2p links. */
function applyOspf(input: NetlabInput, attributes: Attributes, link: NetlabLink, nodes: Map<string, NetlabNode>): void {
  const routers = link.interfaces.map((intf) => nodes.get(intf.node)!).filter((node) => node.module.includes("ospf"));
  for (const node of routers) {
    const area = ospfArea(attributes.ospf) ?? nodeArea(input, node.name);
    const intf = node.interfaces.find((candidate) => candidate.linkindex === link.linkindex)!;
    intf.ospf = {
      area,
      ...(link.type === "p2p" ? { network_type: "point-to-point" as const } : {}),
      passive: routers.length < 2 && link.type !== "p2p",
    };
  }
  for (const node of nodes.values()) {
    if (node.module.includes("ospf") && node.router_id) node.ospf = { area: nodeArea(input, node.name), router_id: node.router_id };
  }
}

function nodeArea(input: NetlabInput, name: string): string {
  return ospfArea(inherited(input, name, "ospf")) ?? ospfArea(input.document.ospf) ?? "0.0.0.0";
}

/** netlab writes areas dotted: 42 → 0.0.0.42. */
function ospfArea(ospf: unknown): string | null {
  if (!isRecord(ospf) || ospf.area === undefined) return null;
  const area = ospf.area;
  if (typeof area === "number" && Number.isInteger(area) && area >= 0) return address([0, 0, 0, 0], area);
  if (typeof area === "string" && /^\d+\.\d+\.\d+\.\d+$/.test(area)) return area;
  throw new TopologyError("ospf.area", `"${String(area)}" is not an OSPF area (a number or a dotted quad)`);
}

function moduleList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function octets(text: string): number[] {
  return text.split(".").map(Number);
}

/** The IPv4 address `offset` past `base`. */
function address(base: readonly number[], offset: number): string {
  const value = ((base[0]! << 24) >>> 0) + (base[1]! << 16) + (base[2]! << 8) + base[3]! + offset;
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}
