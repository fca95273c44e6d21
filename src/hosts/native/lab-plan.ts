import { dirname, join } from "node:path";
import type { ContainerlabTopology, LinkEndpoint, TopologyNode } from "../../topology/containerlab-model.ts";
import { formatIpPrefix, parseIpPrefix } from "../../topology/ip-prefix.ts";
import { TopologyError } from "../../topology/topology-error.ts";
import type { HostFacts, UsedPrefix } from "./host-facts.ts";
import type { FrrNodeFiles } from "./frr/frr-config-load.ts";
import { frrRecord } from "./frr/frr-paths.ts";
import type { FrrStartPlan } from "./frr/frr-start.ts";
import { frrPathspace, labInterfacePrefix, mgmtBridgeName, namespaceName, newLabTag, type RandomBytes } from "./lab-naming.ts";
import { LAB_RECORD_VERSION, type LabRecord } from "./lab-record.ts";
import { planMgmtAddressing } from "./mgmt-allocation.ts";
import { NODE_PATH, type NodeExecPlan } from "./node-exec.ts";
import { buildBatches } from "./plan-batches.ts";
import type { StubInterfaceKind } from "./stub-interface.ts";

/**
 * Turns a validated topology into everything needed to build the lab on this host, without touching
 * the host: names, addresses, the `ip` batches, the exec commands and the record of what will be
 * created. Every collision with the host or with another native lab is found here, before anything
 * exists.
 */

export interface PlanInput {
  topology: ContainerlabTopology;
  labId: string;
  instanceName: string;
  topologyPath: string;
  host: HostFacts;
  /** Records of the other native labs on the host, including ones still being deployed. */
  otherLabs: readonly LabRecord[];
  /** Device type for `dummy` links on this host's kernel. */
  stubKind: StubInterfaceKind;
  /** The configuration files of each FRR node, read from the lab's folder. */
  frrFiles: ReadonlyMap<string, FrrNodeFiles>;
  random: RandomBytes;
  now: Date;
}

export interface LabPlan {
  record: LabRecord;
  hostBatch: string[];
  namespaceBatches: { namespace: string; lines: string[] }[];
  execs: NodeExecPlan[];
  /** FRR instances to start once the links exist, before the exec commands run. */
  frr: FrrStartPlan[];
}

const TAG_ATTEMPTS = 20;

export function planLab(input: PlanInput): LabPlan {
  const { topology, instanceName } = input;
  const linuxNodes = topology.nodes.filter((node) => node.kind === "linux");
  const namespaces = new Map(linuxNodes.map((node) => [node.name, namespaceName(topology.prefix, instanceName, node.name)]));
  const takenNamespaces = new Set([...input.host.namespaces, ...input.otherLabs.flatMap((lab) => lab.namespaces)]);
  for (const [node, namespace] of namespaces) {
    if (takenNamespaces.has(namespace)) throw new TopologyError(`nodes.${node}`, `namespace "${namespace}" already exists on this host`);
  }
  const mgmt = planMgmtAddressing(topology.mgmt, topology.nodes, usedPrefixes(input));
  const hostEndpoints = topology.links.flatMap((link) => (link.type === "veth" ? link.endpoints : [])).filter((endpoint) =>
    endpoint.placement !== "namespace"
  );
  checkHostInterfacesFree(hostEndpoints, input);
  const tag = chooseTag(input, hostEndpoints);
  const mgmtBridge = topology.mgmt.bridge ?? mgmtBridgeName(tag);
  if (input.host.links.has(mgmtBridge) || input.otherLabs.some((lab) => lab.mgmt.bridge === mgmtBridge)) {
    throw new TopologyError("mgmt.bridge", `"${mgmtBridge}" already exists on this host; the native runtime creates its management bridge`);
  }
  const bridgeNodes = topology.nodes.filter((node) => node.kind === "bridge").map((node) => bridgeOwnership(node, input));
  const newBridges = bridgeNodes.filter((bridge) => bridge.owned).map((bridge) => bridge.name);
  const batches = buildBatches({ topology, namespaces, mgmt, mgmtBridge, tag, newBridges, stubKind: input.stubKind, random: input.random });
  const labDir = dirname(input.topologyPath);
  const frrRecords = new Map(
    linuxNodes.flatMap((node, index) => (node.frr ? [[node.name, frrRecord(frrPathspace(tag, node.name, index), labDir)] as const] : [])),
  );

  const record: LabRecord = {
    version: LAB_RECORD_VERSION,
    labId: input.labId,
    instanceName,
    topologyName: topology.name,
    topologyPath: input.topologyPath,
    tag,
    state: "deploying",
    createdAt: input.now.toISOString(),
    mgmt: {
      network: topology.mgmt.network,
      bridge: mgmtBridge,
      ipv4Subnet: formatIpPrefix(mgmt.ipv4.subnet),
      ipv4Gateway: mgmt.ipv4.gateway,
      ipv6Subnet: mgmt.ipv6 && formatIpPrefix(mgmt.ipv6.subnet),
      ipv6Gateway: mgmt.ipv6?.gateway ?? null,
    },
    namespaces: [...namespaces.values()],
    hostInterfaces: [...batches.mgmtPorts, ...hostEndpoints.map((endpoint) => endpoint.interface)],
    ownedBridges: [mgmtBridge, ...newBridges],
    sharedBridges: bridgeNodes.filter((bridge) => !bridge.owned).map((bridge) => bridge.name),
    nodes: linuxNodes.map((node) => ({
      name: node.name,
      namespace: namespaces.get(node.name)!,
      group: node.group,
      image: node.image,
      mgmtIpv4: mgmt.addresses.get(node.name)?.ipv4 ?? null,
      mgmtIpv6: mgmt.addresses.get(node.name)?.ipv6 ?? null,
      interfaces: batches.nodeInterfaces.get(node.name)!,
      exec: [],
      frr: frrRecords.get(node.name) ?? null,
    })),
  };
  const execs = linuxNodes.map((node) =>
    execPlan(node, namespaces.get(node.name)!, input, batches.nodeInterfaces.get(node.name)!.length, frrRecords.get(node.name)?.binDir)
  );
  const frr = [...frrRecords].map(([node, frr]) => ({ node, namespace: namespaces.get(node)!, frr, files: input.frrFiles.get(node)! }));
  return { record, hostBatch: batches.hostBatch, namespaceBatches: batches.namespaceBatches, execs, frr };
}

function usedPrefixes(input: PlanInput): UsedPrefix[] {
  const labPrefixes = input.otherLabs.flatMap((lab) =>
    [lab.mgmt.ipv4Subnet, lab.mgmt.ipv6Subnet].flatMap((
      subnet,
    ) => (subnet ? [{ prefix: parseIpPrefix(subnet)!.prefix, owner: `management subnet of native lab "${lab.instanceName}"` }] : []))
  );
  return [...input.host.usedPrefixes, ...labPrefixes];
}

/** Host, bridge-port and mgmt-net interfaces are named by the topology; they must not exist yet. */
function checkHostInterfacesFree(endpoints: readonly LinkEndpoint[], input: PlanInput): void {
  const otherLabsInterfaces = new Set(input.otherLabs.flatMap((lab) => lab.hostInterfaces));
  for (const endpoint of endpoints) {
    if (input.host.links.has(endpoint.interface) || otherLabsInterfaces.has(endpoint.interface)) {
      throw new TopologyError(endpoint.field, `interface "${endpoint.interface}" already exists on this host`);
    }
  }
}

/** A random tag no host interface, other lab or name in this topology already uses. */
function chooseTag(input: PlanInput, hostEndpoints: readonly LinkEndpoint[]): string {
  const names = [
    ...input.host.links.keys(),
    ...hostEndpoints.map((endpoint) => endpoint.interface),
    ...input.topology.nodes.map((node) => node.name),
  ];
  const otherTags = new Set(input.otherLabs.map((lab) => lab.tag));
  for (let attempt = 0; attempt < TAG_ATTEMPTS; attempt++) {
    const tag = newLabTag(input.random);
    const prefix = labInterfacePrefix(tag);
    if (!otherTags.has(tag) && !names.some((name) => name.startsWith(prefix))) return tag;
  }
  throw new Error(`could not find an unused lab tag after ${TAG_ATTEMPTS} attempts`);
}

/** containerlab requires bridge nodes to exist; the native runtime creates a missing one and owns only that. */
function bridgeOwnership(node: TopologyNode, input: PlanInput): { name: string; owned: boolean } {
  const existing = input.host.links.get(node.name);
  if (existing && existing.kind !== "bridge") {
    throw new TopologyError(
      `nodes.${node.name}`,
      `"${node.name}" exists on this host but is a ${existing.kind ?? "plain"} interface, not a bridge`,
    );
  }
  const plannedByOtherLab = input.otherLabs.some((lab) => lab.ownedBridges.includes(node.name));
  return { name: node.name, owned: !existing && !plannedByOtherLab };
}

/** containerlab's magic variables, CLAB_INTFS as the linux kind sets it, and an FRR node's own vtysh first on PATH. */
function execPlan(
  node: TopologyNode,
  namespace: string,
  input: PlanInput,
  interfaceCount: number,
  frrBinDir: string | undefined,
): NodeExecPlan {
  const labDir = join(dirname(input.topologyPath), `clab-${input.instanceName}`);
  const substitutions: [string, string][] = [
    ["__clabNodeName__", node.name],
    ["__clabNodeDir__", join(labDir, node.name)],
    ["__clabDir__", labDir],
    ["__clabLabName__", input.instanceName],
  ];
  const commands = node.exec.map((command) => substitutions.reduce((text, [variable, value]) => text.replaceAll(variable, value), command));
  const path: Record<string, string> = frrBinDir ? { PATH: `${frrBinDir}:${NODE_PATH}` } : {};
  return {
    node: node.name,
    namespace,
    commands,
    env: { CLAB_INTFS: String(interfaceCount), ...path, ...node.env },
    failureAllowed: node.execFailureAllowed,
  };
}
