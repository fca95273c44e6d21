import { TopologyError } from "../../topology/topology-error.ts";
import type { MgmtFamily, MgmtNetwork, TopologyNode } from "../../topology/containerlab-model.ts";
import {
  addressInPrefix,
  formatIpAddress,
  formatIpPrefix,
  type IpFamily,
  type IpPrefix,
  isBoundaryAddress,
  parseIpAddress,
  parseIpPrefix,
  prefixContains,
  prefixesOverlap,
} from "../../topology/ip-prefix.ts";
import type { UsedPrefix } from "./host-facts.ts";

/** Where a lab's management subnet comes from when the topology gives none: /24s from 172.20.20.0 (containerlab's default) to 172.31.255.0. */
const POOL_FIRST = parseIpPrefix("172.20.20.0/24")!.prefix;
const POOL_LAST = parseIpPrefix("172.31.255.0/24")!.prefix;

export interface MgmtFamilyPlan {
  subnet: IpPrefix;
  gateway: string;
}

export interface MgmtPlan {
  ipv4: MgmtFamilyPlan;
  ipv6: MgmtFamilyPlan | null;
  /** Node name → management addresses (without prefix length). */
  addresses: Map<string, { ipv4: string; ipv6: string | null }>;
}

/**
 * Chooses the lab's management subnets (the topology's, checked against the host; or the first
 * free /24 of the pool) and gives every node with a management interface its pinned address or
 * the next free one, in topology order like Docker's IPAM.
 */
export function planMgmtAddressing(mgmt: MgmtNetwork, nodes: readonly TopologyNode[], used: readonly UsedPrefix[]): MgmtPlan {
  const ipv4 = mgmt.ipv4 ? checkedFamily(4, mgmt.ipv4, used) : { settings: null, subnet: freePoolSubnet(used) };
  const ipv6 = mgmt.ipv6 ? checkedFamily(6, mgmt.ipv6, used) : null;
  const managed = nodes.filter((node) => node.hasMgmtInterface);
  const ipv4Addresses = assignAddresses(4, ipv4.subnet, ipv4.settings, managed.map((node) => [node.name, node.mgmtIpv4]));
  const ipv6Addresses = ipv6 ? assignAddresses(6, ipv6.subnet, ipv6.settings, managed.map((node) => [node.name, node.mgmtIpv6])) : null;
  return {
    ipv4: { subnet: ipv4.subnet, gateway: gatewayOf(ipv4.subnet, ipv4.settings) },
    ipv6: ipv6 && { subnet: ipv6.subnet, gateway: gatewayOf(ipv6.subnet, ipv6.settings) },
    addresses: new Map(
      managed.map((node) => [node.name, { ipv4: ipv4Addresses.get(node.name)!, ipv6: ipv6Addresses?.get(node.name) ?? null }]),
    ),
  };
}

function checkedFamily(family: IpFamily, settings: MgmtFamily, used: readonly UsedPrefix[]): { settings: MgmtFamily; subnet: IpPrefix } {
  const subnet = parseIpPrefix(settings.subnet)!.prefix;
  const clash = used.find((entry) => prefixesOverlap(entry.prefix, subnet));
  if (clash) {
    const implied = settings.origin === "default" ? ` (containerlab's default, implied by pinned mgmt-ipv${family} addresses)` : "";
    throw new TopologyError(
      `mgmt.ipv${family}-subnet`,
      `${settings.subnet}${implied} is already in use on this host: ${clash.owner}; choose another subnet, or leave mgmt.ipv${family}-subnet out to get a free one`,
    );
  }
  return { settings, subnet };
}

function freePoolSubnet(used: readonly UsedPrefix[]): IpPrefix {
  for (let network = POOL_FIRST.network; network <= POOL_LAST.network; network += 256n) {
    const candidate: IpPrefix = { family: 4, network, bits: 24 };
    if (!used.some((entry) => prefixesOverlap(entry.prefix, candidate))) return candidate;
  }
  throw new TopologyError(
    "mgmt.ipv4-subnet",
    `no free /24 is left between ${formatIpPrefix(POOL_FIRST)} and ${formatIpPrefix(POOL_LAST)} on this host; set one explicitly`,
  );
}

function gatewayOf(subnet: IpPrefix, settings: MgmtFamily | null): string {
  return settings?.gateway ?? formatIpAddress(addressInPrefix(subnet, 1n));
}

function assignAddresses(
  family: IpFamily,
  subnet: IpPrefix,
  settings: MgmtFamily | null,
  nodes: [string, string | null][],
): Map<string, string> {
  const gateway = parseIpAddress(gatewayOf(subnet, settings))!.value;
  const taken = new Set<bigint>([gateway]);
  for (const [, pinned] of nodes) if (pinned) taken.add(parseIpAddress(pinned)!.value);
  const pool = settings?.range ? parseIpPrefix(settings.range)!.prefix : subnet;
  let next = pool.network;
  const assigned = new Map<string, string>();
  for (const [name, pinned] of nodes) {
    if (pinned) {
      assigned.set(name, formatIpAddress(parseIpAddress(pinned)!));
      continue;
    }
    const isFree = (value: bigint) => !taken.has(value) && !isBoundaryAddress(subnet, { family, value });
    while (prefixContains(pool, { family, value: next }) && !isFree(next)) next++;
    if (!prefixContains(pool, { family, value: next })) {
      throw new TopologyError(
        `mgmt.ipv${family}-${settings?.range ? "range" : "subnet"}`,
        `${formatIpPrefix(pool)} has no free address left for node ${name}`,
      );
    }
    taken.add(next);
    assigned.set(name, formatIpAddress({ family, value: next }));
  }
  return assigned;
}
