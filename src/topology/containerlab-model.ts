import type { FrrNodeConfig } from "./frr-node.ts";

/**
 * A validated containerlab topology as the native runtime uses it: inheritance resolved, brief and
 * extended link forms reduced to two link types, names and addresses checked.
 */

export const SUPPORTED_KINDS = ["linux", "bridge", "host"] as const;
export type NodeKind = (typeof SUPPORTED_KINDS)[number];

/**
 * The node label (inherited like any label) that lets an exec command fail without failing the
 * deploy, as containerlab itself does: `allow`, or `fail` (the default).
 */
export const EXEC_FAILURE_LABEL = "labbroker.exec-failure";
/**
 * The node label that decides what happens to an image the native runtime cannot run (anything but
 * an FRR image): `ignore` (the default: the node is a plain namespace and a note says so) or
 * `refuse` (the topology is refused, naming the node).
 */
export const UNSUPPORTED_IMAGE_LABEL = "labbroker.unsupported-image";
/** Labels labbroker reads; containerlab ignores them, and so do the notes about unused labels. */
export const LABBROKER_LABEL_PREFIX = "labbroker.";

export const DEFAULT_PREFIX = "clab";
export const DEFAULT_LINK_MTU = 9500;
/** containerlab's default management subnets, used when nodes pin addresses without a subnet. */
export const DEFAULT_MGMT_IPV4_SUBNET = "172.20.20.0/24";
export const DEFAULT_MGMT_IPV6_SUBNET = "3fff:172:20:20::/64";

export interface TopologyNode {
  name: string;
  kind: NodeKind;
  group: string | null;
  /** Reported by inspect like containerlab does; nothing is pulled (an FRR image runs the host's FRR). */
  image: string | null;
  /** Set for a node with an FRR image: it runs an FRR instance configured from its binds. */
  frr: FrrNodeConfig | null;
  /** False with `network-mode: none`: the node gets no eth0 and no management address. */
  hasMgmtInterface: boolean;
  /** Pinned management addresses (no prefix length), or null to allocate one. */
  mgmtIpv4: string | null;
  mgmtIpv6: string | null;
  /** defaults + kind + group + node, exact duplicates removed (first kept). */
  exec: string[];
  /** A non-zero exit of an exec command fails the deploy unless the node is labelled `labbroker.exec-failure: allow`. */
  execFailureAllowed: boolean;
  env: Record<string, string>;
  /** Only `net.*` keys: those belong to the node's network namespace. */
  sysctls: Record<string, string>;
}

/** A bridge or host node: no namespace, so nothing runs in it and it has no management interface. */
export function nodeWithoutNamespace(name: string, kind: "bridge" | "host", group: string | null): TopologyNode {
  return {
    name,
    kind,
    group,
    image: null,
    frr: null,
    hasMgmtInterface: false,
    mgmtIpv4: null,
    mgmtIpv6: null,
    exec: [],
    execFailureAllowed: false,
    env: {},
    sysctls: {},
  };
}

/**
 * Where an endpoint's interface lives: inside a node's namespace, as a port of a host bridge
 * (a bridge node, or the lab's management bridge for `mgmt-net`), or in the host namespace.
 */
export type EndpointPlacement = "namespace" | "bridge" | "mgmt-net" | "host";

export interface LinkEndpoint {
  /** Field path of the endpoint in the topology file, for error messages. */
  field: string;
  /** The node name; `host` or `mgmt-net` for the reserved endpoints. */
  node: string;
  interface: string;
  mac: string | null;
  placement: EndpointPlacement;
}

export type TopologyLink =
  | { type: "veth"; field: string; mtu: number; endpoints: [LinkEndpoint, LinkEndpoint] }
  | { type: "dummy"; field: string; mtu: number; endpoint: LinkEndpoint };

export interface MgmtFamily {
  /** Normalised CIDR, host bits clear. */
  subnet: string;
  gateway: string | null;
  /** Addresses are allocated from this part of the subnet (`ipv4-range`/`ipv6-range`). */
  range: string | null;
  /** `topology` when the file sets the subnet, `default` when pinned node addresses imply containerlab's default. */
  origin: "topology" | "default";
}

export interface MgmtNetwork {
  /** containerlab's docker network name, recorded (netlab sends netlab_mgmt / nl_mgmt_<id>). */
  network: string;
  bridge: string | null;
  mtu: number | null;
  /** Null: the runtime allocates a free /24 on the host. */
  ipv4: MgmtFamily | null;
  /** Null: no IPv6 management addresses. */
  ipv6: MgmtFamily | null;
}

export interface ContainerlabTopology {
  name: string;
  prefix: string;
  mgmt: MgmtNetwork;
  /** In file order, which is also the management address allocation order. */
  nodes: TopologyNode[];
  links: TopologyLink[];
}
