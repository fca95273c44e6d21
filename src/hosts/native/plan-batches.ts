import type { ContainerlabTopology, LinkEndpoint } from "../../topology/containerlab-model.ts";
import { batchLine } from "./ip-batch.ts";
import { mgmtPortName, type RandomBytes, randomMac } from "./lab-naming.ts";
import type { MgmtPlan } from "./mgmt-allocation.ts";
import type { StubInterfaceKind } from "./stub-interface.ts";

/**
 * The `ip` operations that build a lab: one batch in the host namespace (namespaces, bridges, every
 * veth created with its ends already in their namespaces, sysctls), then one small batch per
 * namespace (loopback, management address and default route, bringing up the peer ends, which the
 * kernel refuses to bring up while it creates them).
 */

export interface BatchInput {
  topology: ContainerlabTopology;
  /** Node name → namespace, for linux nodes. */
  namespaces: ReadonlyMap<string, string>;
  mgmt: MgmtPlan;
  mgmtBridge: string;
  tag: string;
  /** Bridge nodes missing on the host, created by this lab. */
  newBridges: readonly string[];
  /** Device type for `dummy` links. */
  stubKind: StubInterfaceKind;
  random: RandomBytes;
}

export interface LabBatches {
  hostBatch: string[];
  namespaceBatches: { namespace: string; lines: string[] }[];
  /** Host ends of the management veths. */
  mgmtPorts: string[];
  /** Node name → its data interfaces, in topology order. */
  nodeInterfaces: Map<string, string[]>;
}

/** Sysctls every node gets, as containerlab's linux kind plus forwarding for router nodes. */
const NODE_SYSCTLS = { "net.ipv4.ip_forward": "1", "net.ipv6.conf.all.disable_ipv6": "0" };

export function buildBatches(input: BatchInput): LabBatches {
  const batches: LabBatches = {
    hostBatch: [...input.namespaces.values()].map((namespace) => batchLine("netns", "add", namespace)),
    namespaceBatches: [...input.namespaces.values()].map((namespace) => ({
      namespace,
      lines: [batchLine("link", "set", "dev", "lo", "up")],
    })),
    mgmtPorts: [],
    nodeInterfaces: new Map([...input.namespaces.keys()].map((node) => [node, []])),
  };
  addManagement(input, batches);
  for (const bridge of input.newBridges) batches.hostBatch.push(batchLine("link", "add", "name", bridge, "up", "type", "bridge"));
  addLinks(input, batches);
  for (const node of input.topology.nodes) {
    const namespace = input.namespaces.get(node.name);
    if (!namespace) continue;
    const sysctls = Object.entries({ ...NODE_SYSCTLS, ...node.sysctls }).map(([key, value]) => `${key}=${value}`);
    batches.hostBatch.push(batchLine("netns", "exec", namespace, "sysctl", "-qw", ...sysctls));
  }
  return batches;
}

/** The management bridge with the gateway, and per node a veth whose namespace end is eth0. */
function addManagement(input: BatchInput, batches: LabBatches): void {
  const { topology, mgmt, mgmtBridge } = input;
  const mtu = topology.mgmt.mtu === null ? [] : ["mtu", String(topology.mgmt.mtu)];
  batches.hostBatch.push(batchLine("link", "add", "name", mgmtBridge, "up", ...mtu, "type", "bridge"));
  batches.hostBatch.push(batchLine("address", "add", `${mgmt.ipv4.gateway}/${mgmt.ipv4.subnet.bits}`, "dev", mgmtBridge));
  if (mgmt.ipv6) {
    batches.hostBatch.push(batchLine("address", "add", `${mgmt.ipv6.gateway}/${mgmt.ipv6.subnet.bits}`, "dev", mgmtBridge, "nodad"));
  }
  for (const node of topology.nodes) {
    const addresses = mgmt.addresses.get(node.name);
    const namespace = input.namespaces.get(node.name);
    if (!addresses || !namespace) continue;
    const port = mgmtPortName(input.tag, batches.mgmtPorts.length);
    batches.mgmtPorts.push(port);
    batches.hostBatch.push(
      batchLine(
        "link",
        "add",
        "name",
        port,
        "up",
        "master",
        mgmtBridge,
        ...mtu,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        namespace,
        ...mtu,
      ),
    );
    const lines = namespaceLines(batches, namespace);
    lines.push(batchLine("link", "set", "dev", "eth0", "up"));
    lines.push(batchLine("address", "add", `${addresses.ipv4}/${mgmt.ipv4.subnet.bits}`, "dev", "eth0"));
    lines.push(batchLine("route", "add", "default", "via", mgmt.ipv4.gateway, "dev", "eth0"));
    if (mgmt.ipv6 && addresses.ipv6) {
      // nodad: the address is usable at once instead of after duplicate address detection.
      lines.push(batchLine("address", "add", `${addresses.ipv6}/${mgmt.ipv6.subnet.bits}`, "dev", "eth0", "nodad"));
      lines.push(batchLine("route", "add", "::/0", "via", mgmt.ipv6.gateway, "dev", "eth0"));
    }
  }
}

/** Data links: each veth is created with both ends in place; dummies directly in their node. */
function addLinks(input: BatchInput, batches: LabBatches): void {
  const placement = (endpoint: LinkEndpoint): string[] => {
    if (endpoint.placement === "namespace") return ["netns", input.namespaces.get(endpoint.node)!];
    if (endpoint.placement === "bridge") return ["master", endpoint.node];
    if (endpoint.placement === "mgmt-net") return ["master", input.mgmtBridge];
    return [];
  };
  const mac = (endpoint: LinkEndpoint) => endpoint.mac ?? randomMac(input.random);
  const peersInHost: string[] = [];
  for (const link of input.topology.links) {
    const mtu = ["mtu", String(link.mtu)];
    if (link.type === "dummy") {
      batches.hostBatch.push(
        batchLine(
          "link",
          "add",
          "name",
          link.endpoint.interface,
          ...placement(link.endpoint),
          ...mtu,
          "address",
          mac(link.endpoint),
          "up",
          "type",
          input.stubKind,
        ),
      );
      batches.nodeInterfaces.get(link.endpoint.node)!.push(link.endpoint.interface);
      continue;
    }
    // Only the end created first can be brought up (and enslaved) at once: prefer a host-side end there.
    const [first, second] = link.endpoints[0].placement === "namespace" && link.endpoints[1].placement !== "namespace"
      ? [link.endpoints[1], link.endpoints[0]]
      : link.endpoints;
    const peerNamespace = second.placement === "namespace" ? placement(second) : [];
    batches.hostBatch.push(
      batchLine(
        "link",
        "add",
        "name",
        first.interface,
        ...placement(first),
        ...mtu,
        "address",
        mac(first),
        "up",
        "type",
        "veth",
        "peer",
        "name",
        second.interface,
        ...peerNamespace,
        ...mtu,
        "address",
        mac(second),
      ),
    );
    for (const endpoint of [first, second]) {
      if (endpoint.placement === "namespace") batches.nodeInterfaces.get(endpoint.node)!.push(endpoint.interface);
    }
    const bringUp = batchLine("link", "set", "dev", second.interface, "up", ...(second.placement === "namespace" ? [] : placement(second)));
    if (second.placement === "namespace") namespaceLines(batches, input.namespaces.get(second.node)!).push(bringUp);
    else peersInHost.push(bringUp);
  }
  batches.hostBatch.push(...peersInHost);
}

function namespaceLines(batches: LabBatches, namespace: string): string[] {
  return batches.namespaceBatches.find((batch) => batch.namespace === namespace)!.lines;
}
