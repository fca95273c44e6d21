import type { NetlabNode } from "../../topology/netlab/netlab-transform.ts";
import type { FrrRecord } from "./frr/frr-paths.ts";

/**
 * What the native runtime keeps on the host for each lab: written before anything is created and
 * updated once the lab is up, so a restarted agent can list, inspect and destroy labs, including
 * labs whose deploy was cut short.
 */

export const LAB_RECORD_VERSION = 1;

/** One `exec` command's outcome, shaped like containerlab's `exec --format json` entries. */
export interface ExecResult {
  /** The command as written in the topology. */
  command: string;
  /** What ran inside the namespace (`sh -c …` when the command uses shell syntax). */
  argv: string[];
  returnCode: number;
  stdout: string;
  stderr: string;
}

export interface NodeRecord {
  name: string;
  namespace: string;
  group: string | null;
  image: string | null;
  /** Management addresses without prefix length; null for network-mode none. */
  mgmtIpv4: string | null;
  mgmtIpv6: string | null;
  /** Data interfaces inside the namespace (links and dummies), in topology order. */
  interfaces: string[];
  exec: ExecResult[];
  /** The node's FRR instance (an FRR image); absent in records of labs without FRR support. */
  frr?: FrrRecord | null;
  /** The node as deployed, for a reset to baseline; only in records of labs deployed to go warm. */
  baseline?: NodeBaseline;
  /** What netlab would report for the node, when the lab was deployed from a netlab topology. */
  netlab?: NetlabNode;
}

/**
 * What a node's namespace looked like once the deploy had wired it, before its FRR instance and
 * exec commands ran: what a reset (lab-reset.ts) brings the node back to before running those again.
 * Recorded only for labs that may go warm.
 */
export interface NodeBaseline {
  /** The links the deploy made in the namespace (lo, eth0, data interfaces). */
  links: BaselineLink[];
  /** The namespace's own setup lines of the deploy (`ip -batch`): links up, management address and default routes. */
  setup: string[];
  /** The namespace's `net.*` sysctls (see readNamespaceSysctls). */
  sysctls: Record<string, string>;
  /** The node's exec commands and their environment, run again after a reset. */
  exec: { commands: string[]; env: Record<string, string>; failureAllowed: boolean };
}

export interface BaselineLink {
  name: string;
  mtu: number;
  mac: string;
  up: boolean;
}

export interface MgmtRecord {
  network: string;
  bridge: string;
  ipv4Subnet: string;
  ipv4Gateway: string;
  ipv6Subnet: string | null;
  ipv6Gateway: string | null;
}

export interface LabRecord {
  version: typeof LAB_RECORD_VERSION;
  labId: string;
  instanceName: string;
  topologyName: string;
  /** Absolute path of the topology file the lab was deployed from. */
  topologyPath: string;
  /** Short random tag in the names of the lab's host interfaces (`nl-<tag>`). */
  tag: string;
  state: "deploying" | "deployed";
  createdAt: string;
  mgmt: MgmtRecord;
  namespaces: string[];
  /** Interfaces the lab creates in the host namespace: management ports, host endpoints, bridge ports. */
  hostInterfaces: string[];
  /** Bridges the lab creates and removes: its management bridge and bridge nodes that did not exist. */
  ownedBridges: string[];
  /** Bridge nodes that existed before the lab: it only adds ports to them. */
  sharedBridges: string[];
  nodes: NodeRecord[];
}
