import { type Data, getPath, isData } from "./netlab-data.ts";
import { reportError } from "./netlab-log.ts";

/**
 * Links as netlab numbers them: `linkindex` in list order, per-node `ifindex` from 1, interface
 * names from the device's `interface_name` pattern. One node is a stub, two a p2p link, more a
 * LAN on a bridge `<lab>_<linkindex>`. No IP prefixes are assigned (the fake has no addressing pools).
 */

interface Member {
  node: string;
  attributes: Data;
}

export function buildLinks(topology: Data, nodes: Record<string, Data>): Data[] {
  const links = Array.isArray(topology.links) ? topology.links : [];
  return links.flatMap((entry, index) => {
    const members = linkMembers(entry, nodes, index);
    return members ? [addLink(topology, nodes, members, index + 1, isData(entry) ? entry : {})] : [];
  });
}

/** An interface name from a device pattern (`eth%d`, `Ethernet%d`, `e1-%d`). */
export function interfaceName(pattern: unknown, ifindex: number): string {
  return String(pattern ?? "eth%d").replace("%d", String(ifindex));
}

function linkMembers(entry: unknown, nodes: Record<string, Data>, index: number): Member[] | null {
  const names = typeof entry === "string"
    ? entry.split("-")
    : Array.isArray(entry)
    ? entry.map(String)
    : isData(entry)
    ? Object.keys(entry).filter((key) => key in nodes)
    : [];
  const unknown = names.find((name) => !(name in nodes));
  if (names.length === 0 || unknown !== undefined) {
    reportError(
      `Invalid link definition ${JSON.stringify(entry)}${unknown ? `: unknown node ${unknown}` : ""}`,
      "IncorrectValue",
      "links",
      [`in links[${index + 1}]`],
    );
    return null;
  }
  return names.map((node) => ({ node, attributes: isData(entry) && isData(entry[node]) ? entry[node] : {} }));
}

function addLink(topology: Data, nodes: Record<string, Data>, members: Member[], linkindex: number, linkAttributes: Data): Data {
  const type = members.length === 1 ? "stub" : members.length === 2 ? "p2p" : "lan";
  const bridge = type === "lan" ? `${String(topology.name)}_${linkindex}` : undefined;
  const ends = members.map((member) => {
    const node = nodes[member.node]!;
    const interfaces = node.interfaces as Data[];
    const ifindex = typeof member.attributes.ifindex === "number" ? member.attributes.ifindex : interfaces.length + 1;
    const pattern = getPath(topology.defaults, ["devices", String(node.device), "interface_name"]);
    return { node: member.node, ifindex, ifname: interfaceName(pattern, ifindex) };
  });
  ends.forEach((end) => {
    const others = ends.filter((other) => other !== end);
    const peers = others.length === 0 ? "stub" : others.length === 1 ? others[0]!.node : `[${others.map((other) => other.node).join(",")}]`;
    (nodes[end.node]!.interfaces as Data[]).push({
      ifindex: end.ifindex,
      ifname: end.ifname,
      linkindex,
      mtu: 1500,
      name: `${end.node} -> ${peers}`,
      neighbors: others.map((other) => ({ ifname: other.ifname, node: other.node })),
      type,
      ...(bridge ? { bridge } : {}),
    });
  });
  const { bandwidth, mtu } = linkAttributes;
  return {
    _linkname: `links[${linkindex}]`,
    interfaces: ends,
    linkindex,
    node_count: ends.length,
    type,
    ...(bridge ? { bridge } : {}),
    ...(bandwidth !== undefined ? { bandwidth } : {}),
    ...(mtu !== undefined ? { mtu } : {}),
  };
}
