import type { z } from "zod";
import { TopologyError } from "./topology-error.ts";
import { checkMtu } from "./containerlab-mgmt.ts";
import { DEFAULT_LINK_MTU, type EndpointPlacement, type LinkEndpoint, type TopologyLink, type TopologyNode } from "./containerlab-model.ts";
import { briefLinkSchema, dummyLinkSchema, type EndpointObject, hostLinkSchema, vethLinkSchema } from "./containerlab-schema.ts";
import { topologyErrorFromIssues } from "./field-path.ts";
import { checkEndpointInterfaces } from "./link-interfaces.ts";
import { notesForLinkFields } from "./topology-notes.ts";

const UNSUPPORTED_LINK_TYPES = new Set(["macvlan", "vxlan", "vxlan-stitch"]);
/** Endpoint names containerlab reserves in the brief `node:interface` form. */
const RESERVED_ENDPOINTS: Record<string, EndpointPlacement | null> = { host: "host", "mgmt-net": "mgmt-net", macvlan: null };
const UNICAST_MAC = /^[0-9a-f][02468ace](:[0-9a-f]{2}){5}$/;

/** Reduces every link form (brief, veth, host, mgmt-net, dummy) to veth or dummy links and checks their endpoints. */
export function resolveLinks(
  links: readonly Record<string, unknown>[],
  nodes: readonly TopologyNode[],
  mgmtBridge: string | null,
  notes: string[],
): TopologyLink[] {
  const nodesByName = new Map(nodes.map((node) => [node.name, node]));
  const resolved = links.map((link, index) => resolveLink(link, index, nodesByName, notes));
  checkEndpointInterfaces(resolved, nodesByName, mgmtBridge);
  return resolved;
}

function resolveLink(link: Record<string, unknown>, index: number, nodes: Map<string, TopologyNode>, notes: string[]): TopologyLink {
  const field = `links[${index}]`;
  const path = ["topology", "links", index];
  const type = link.type === undefined || link.type === null ? "brief" : String(link.type).trim().toLowerCase();
  const parse = <S extends z.ZodType>(schema: S): z.infer<S> => {
    const result = schema.safeParse(link, { reportInput: true });
    if (!result.success) throw topologyErrorFromIssues(result.error.issues, path);
    return result.data;
  };
  const linkMtu = (mtu: number | null | undefined) => {
    if (mtu !== null && mtu !== undefined) checkMtu(`${field}.mtu`, mtu);
    return mtu ?? DEFAULT_LINK_MTU;
  };
  notes.push(...notesForLinkFields(field, link));
  if (type === "brief") {
    const brief = parse(briefLinkSchema);
    if (brief.endpoints.length !== 2) {
      throw new TopologyError(`${field}.endpoints`, `must list exactly 2 endpoints (${brief.endpoints.length} given)`);
    }
    const endpoints = brief.endpoints.map((text, index) => briefEndpoint(text, `${field}.endpoints[${index}]`, nodes)) as [
      LinkEndpoint,
      LinkEndpoint,
    ];
    if (endpoints.every((endpoint) => endpoint.node in RESERVED_ENDPOINTS)) {
      throw new TopologyError(`${field}.endpoints`, "needs a node on at least one end");
    }
    return { type: "veth", field, mtu: linkMtu(brief.mtu), endpoints };
  }
  if (type === "veth") {
    const veth = parse(vethLinkSchema);
    if (veth.endpoints.length !== 2) {
      throw new TopologyError(`${field}.endpoints`, `must list exactly 2 endpoints (${veth.endpoints.length} given)`);
    }
    const endpoints = veth.endpoints.map((endpoint, index) => objectEndpoint(endpoint, `${field}.endpoints[${index}]`, nodes)) as [
      LinkEndpoint,
      LinkEndpoint,
    ];
    return { type: "veth", field, mtu: linkMtu(veth.mtu), endpoints };
  }
  if (type === "host" || type === "mgmt-net") {
    const hostLink = parse(hostLinkSchema);
    const nodeEnd = objectEndpoint(hostLink.endpoint, `${field}.endpoint`, nodes);
    const hostEnd: LinkEndpoint = {
      field: `${field}.host-interface`,
      node: type,
      interface: hostLink["host-interface"],
      mac: null,
      placement: type,
    };
    return { type: "veth", field, mtu: linkMtu(hostLink.mtu), endpoints: [nodeEnd, hostEnd] };
  }
  if (type === "dummy") {
    const dummy = parse(dummyLinkSchema);
    const endpoint = objectEndpoint(dummy.endpoint, `${field}.endpoint`, nodes);
    if (endpoint.placement !== "namespace") {
      throw new TopologyError(
        `${field}.endpoint.node`,
        `dummy interfaces can only be created in linux nodes ("${endpoint.node}" is not one)`,
      );
    }
    return { type: "dummy", field, mtu: linkMtu(dummy.mtu), endpoint };
  }
  if (UNSUPPORTED_LINK_TYPES.has(type)) {
    throw new TopologyError(
      `${field}.type`,
      `"${type}" links are not supported by the native runtime (supported: veth, host, mgmt-net, dummy)`,
    );
  }
  throw new TopologyError(`${field}.type`, `"${type}" is not a containerlab link type`);
}

/** `node:interface`, split at the first ':' like containerlab. */
function briefEndpoint(text: string, field: string, nodes: Map<string, TopologyNode>): LinkEndpoint {
  const colon = text.indexOf(":");
  if (colon <= 0 || colon === text.length - 1) throw new TopologyError(field, `"${text}" is not in the form node:interface`);
  const node = text.slice(0, colon);
  const iface = text.slice(colon + 1);
  if (node in RESERVED_ENDPOINTS) {
    const placement = RESERVED_ENDPOINTS[node];
    if (!placement) throw new TopologyError(field, `"${node}" endpoints are not supported by the native runtime`);
    return { field, node, interface: iface, mac: null, placement };
  }
  return { field, node, interface: iface, mac: null, placement: placementOf(node, field, nodes) };
}

function objectEndpoint(endpoint: EndpointObject, field: string, nodes: Map<string, TopologyNode>): LinkEndpoint {
  const placement = placementOf(endpoint.node, `${field}.node`, nodes);
  let mac: string | null = null;
  if (endpoint.mac) {
    mac = endpoint.mac.toLowerCase();
    if (!UNICAST_MAC.test(mac)) {
      throw new TopologyError(`${field}.mac`, `"${endpoint.mac}" is not a unicast MAC address like 02:00:00:00:00:01`);
    }
  }
  return { field, node: endpoint.node, interface: endpoint.interface, mac, placement };
}

function placementOf(nodeName: string, field: string, nodes: Map<string, TopologyNode>): EndpointPlacement {
  const node = nodes.get(nodeName);
  if (!node) throw new TopologyError(field, `refers to unknown node "${nodeName}"`);
  return node.kind === "linux" ? "namespace" : node.kind === "bridge" ? "bridge" : "host";
}
