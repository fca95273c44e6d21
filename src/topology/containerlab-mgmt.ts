import { TopologyError } from "./topology-error.ts";
import {
  DEFAULT_MGMT_IPV4_SUBNET,
  DEFAULT_MGMT_IPV6_SUBNET,
  type MgmtFamily,
  type MgmtNetwork,
  type TopologyNode,
} from "./containerlab-model.ts";
import type { MgmtDefinition } from "./containerlab-schema.ts";
import { interfaceNameProblem } from "./interface-name.ts";
import {
  addressInPrefix,
  formatIpPrefix,
  type IpFamily,
  type IpPrefix,
  isBoundaryAddress,
  parseIpAddress,
  parseIpPrefix,
  prefixContains,
} from "./ip-prefix.ts";

/** The smallest subnets that still hold a gateway and a node. */
const LONGEST_SUBNET: Record<IpFamily, number> = { 4: 30, 6: 126 };

/** Checks the `mgmt` section and the nodes' pinned management addresses against it. */
export function resolveMgmt(mgmt: MgmtDefinition | null | undefined, nodes: readonly TopologyNode[]): MgmtNetwork {
  const section = mgmt ?? {};
  if (section.bridge) {
    const problem = interfaceNameProblem(section.bridge);
    if (problem) throw new TopologyError("mgmt.bridge", problem);
  }
  if (section.mtu !== null && section.mtu !== undefined) checkMtu("mgmt.mtu", section.mtu);
  if (section.driver && section.driver !== "bridge") {
    throw new TopologyError(
      "mgmt.driver",
      `"${section.driver}" is not supported by the native runtime: the management network is a Linux bridge`,
    );
  }
  return {
    network: section.network || "clab",
    bridge: section.bridge || null,
    mtu: section.mtu ?? null,
    ipv4: resolveFamily(4, section["ipv4-subnet"], section["ipv4-gw"], section["ipv4-range"], nodes),
    ipv6: resolveFamily(6, section["ipv6-subnet"], section["ipv6-gw"], section["ipv6-range"], nodes),
  };
}

export function checkMtu(field: string, mtu: number): void {
  if (mtu < 68 || mtu > 65535) throw new TopologyError(field, `${mtu} is not a usable MTU (68–65535)`);
}

function resolveFamily(
  family: IpFamily,
  subnetText: string | null | undefined,
  gatewayText: string | null | undefined,
  rangeText: string | null | undefined,
  nodes: readonly TopologyNode[],
): MgmtFamily | null {
  const key = `ipv${family}` as const;
  const pinned = nodes.flatMap((node) => {
    const address = family === 4 ? node.mgmtIpv4 : node.mgmtIpv6;
    return address ? [{ field: `nodes.${node.name}.mgmt-${key}`, address }] : [];
  });
  const explicit = subnetText && subnetText !== "auto";
  if (!explicit) {
    if (gatewayText) throw new TopologyError(`mgmt.${key}-gw`, `needs an explicit mgmt.${key}-subnet`);
    if (rangeText) throw new TopologyError(`mgmt.${key}-range`, `needs an explicit mgmt.${key}-subnet`);
    if (pinned.length === 0) return null;
  }
  const subnetField = explicit ? `mgmt.${key}-subnet` : pinned[0]!.field;
  const subnet = parseSubnet(
    family,
    explicit ? subnetText : family === 4 ? DEFAULT_MGMT_IPV4_SUBNET : DEFAULT_MGMT_IPV6_SUBNET,
    subnetField,
  );
  const inSubnet = (field: string, text: string) => {
    const address = parseIpAddress(text);
    if (!address || address.family !== family) throw new TopologyError(field, `"${text}" is not an IPv${family} address`);
    if (!prefixContains(subnet, address)) {
      throw new TopologyError(
        field,
        `${text} is outside the management subnet ${formatIpPrefix(subnet)}${
          explicit ? "" : " (containerlab's default; set mgmt." + key + "-subnet)"
        }`,
      );
    }
    if (isBoundaryAddress(subnet, address)) {
      throw new TopologyError(field, `${text} is the network${family === 4 ? " or broadcast" : ""} address of ${formatIpPrefix(subnet)}`);
    }
    return address.value;
  };
  const gateway = gatewayText ? inSubnet(`mgmt.${key}-gw`, gatewayText) : addressInPrefix(subnet, 1n).value;
  const range = rangeText ? parseRange(family, rangeText, subnet, `mgmt.${key}-range`) : null;
  const taken = new Map<bigint, string>([[gateway, gatewayText ? `mgmt.${key}-gw` : "the gateway (first address of the subnet)"]]);
  for (const { field, address } of pinned) {
    const value = inSubnet(field, address);
    const owner = taken.get(value);
    if (owner) throw new TopologyError(field, `${address} is already used by ${owner}`);
    taken.set(value, field);
  }
  return {
    subnet: formatIpPrefix(subnet),
    gateway: gatewayText ?? null,
    range: range && formatIpPrefix(range),
    origin: explicit ? "topology" : "default",
  };
}

function parseSubnet(family: IpFamily, text: string, field: string): IpPrefix {
  const parsed = parseIpPrefix(text);
  if (!parsed || parsed.address.family !== family || !text.includes("/")) {
    throw new TopologyError(
      field,
      `"${text}" is not an IPv${family} subnet in CIDR form (such as ${
        family === 4 ? DEFAULT_MGMT_IPV4_SUBNET : DEFAULT_MGMT_IPV6_SUBNET
      })`,
    );
  }
  if (parsed.address.value !== parsed.prefix.network) {
    throw new TopologyError(field, `"${text}" has host bits set (did you mean ${formatIpPrefix(parsed.prefix)}?)`);
  }
  if (parsed.prefix.bits > LONGEST_SUBNET[family]) {
    throw new TopologyError(field, `"${text}" is too small for a gateway and nodes (at most /${LONGEST_SUBNET[family]})`);
  }
  return parsed.prefix;
}

function parseRange(family: IpFamily, text: string, subnet: IpPrefix, field: string): IpPrefix {
  const parsed = parseIpPrefix(text);
  if (!parsed || parsed.address.family !== family || !text.includes("/")) {
    throw new TopologyError(field, `"${text}" is not an IPv${family} range in CIDR form`);
  }
  if (parsed.prefix.bits < subnet.bits || !prefixContains(subnet, { family, value: parsed.prefix.network })) {
    throw new TopologyError(field, `${text} is not inside the management subnet ${formatIpPrefix(subnet)}`);
  }
  return parsed.prefix;
}
