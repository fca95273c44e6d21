import type { NetlabInterface, NetlabNode } from "./netlab-transform.ts";

/**
 * FRR configuration for a netlab `frr` node as netlab's initial and ospf templates configure it:
 * addresses on the loopback and the links, OSPF per interface with the area netlab assigned,
 * point-to-point on p2p links, passive interfaces, the router id. And the daemons file that runs
 * the daemons of the node's modules.
 */

export function netlabFrrConfig(node: NetlabNode): string {
  const lines = ["frr defaults traditional", `hostname ${node.name}`, "!"];
  if (node.loopback) {
    lines.push("interface lo", ` ip address ${node.loopback.ipv4}`, ...(node.ospf ? [` ip ospf area ${node.ospf.area}`] : []), "!");
  }
  for (const intf of node.interfaces) lines.push(...interfaceLines(intf));
  if (node.ospf) {
    lines.push("router ospf", ` ospf router-id ${node.ospf.router_id}`);
    for (const intf of node.interfaces) if (intf.ospf?.passive && intf.ifname) lines.push(` passive-interface ${intf.ifname}`);
    lines.push("!");
  }
  return `${lines.join("\n")}\n`;
}

export function netlabFrrDaemons(node: NetlabNode): string {
  const ospf = node.module.includes("ospf") ? 'ospfd=yes\nospfd_options="-A 127.0.0.1"\n' : "";
  return `zebra=yes\nstaticd=yes\nvtysh_enable=yes\nzebra_options="-A 127.0.0.1 -s 90000000"\n${ospf}`;
}

function interfaceLines(intf: NetlabInterface): string[] {
  const neighbors = intf.neighbors.map((neighbor) => neighbor.node).join(",");
  const lines = [`interface ${intf.ifname}`, ` description ${intf.type === "p2p" ? neighbors : `[${neighbors}]`}`];
  if (intf.ipv4) lines.push(` ip address ${intf.ipv4}`);
  if (intf.ospf) {
    lines.push(` ip ospf area ${intf.ospf.area}`);
    if (intf.ospf.network_type) lines.push(` ip ospf network ${intf.ospf.network_type}`);
  }
  return [...lines, "!"];
}
