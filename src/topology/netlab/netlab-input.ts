import { TopologyError } from "../topology-error.ts";

/**
 * A netlab topology read into plain data: dotted keys expanded (`defaults.device: frr` is
 * `defaults: {device: frr}`), nodes as a name → attributes map (netlab accepts a list of names or of
 * mappings too), links as lists of attached node names with their link attributes (netlab's
 * `r1-r2` strings, node lists, mappings keyed by node, or `interfaces:` lists), groups' members.
 */

export type Attributes = Record<string, unknown>;

export interface NetlabInput {
  name: string | null;
  document: Attributes;
  nodes: Map<string, Attributes>;
  links: { field: string; nodes: string[]; attributes: Attributes }[];
  groups: Map<string, { members: string[]; attributes: Attributes }>;
}

export function readNetlabInput(document: unknown): NetlabInput {
  if (!isRecord(document)) throw new TopologyError("topology", "must be a YAML mapping of topology elements");
  const expanded = expandDottedKeys(document);
  const nodes = readNodes(expanded.nodes);
  const groups = readGroups(expanded.groups, nodes);
  const links = readLinks(expanded.links, nodes);
  return { name: typeof expanded.name === "string" ? expanded.name : null, document: expanded, nodes, links, groups };
}

/** `a.b: 1` → `a: {b: 1}`, merged with what is already there, at every level. */
export function expandDottedKeys(value: Attributes): Attributes {
  const result: Attributes = {};
  for (const [key, raw] of Object.entries(value)) {
    const inner = isRecord(raw) ? expandDottedKeys(raw) : raw;
    const path = key.split(".");
    let target = result;
    for (const part of path.slice(0, -1)) {
      if (!isRecord(target[part])) target[part] = {};
      target = target[part] as Attributes;
    }
    const last = path[path.length - 1]!;
    target[last] = isRecord(target[last]) && isRecord(inner) ? { ...(target[last] as Attributes), ...inner } : inner;
  }
  return result;
}

function readNodes(value: unknown): Map<string, Attributes> {
  const nodes = new Map<string, Attributes>();
  if (Array.isArray(value)) {
    value.forEach((entry, index) => {
      const attributes = typeof entry === "string" ? { name: entry } : isRecord(entry) ? entry : null;
      if (!attributes || typeof attributes.name !== "string") {
        throw new TopologyError(`nodes[${index}]`, "must be a node name or a mapping with a 'name'");
      }
      nodes.set(attributes.name, attributes);
    });
  } else if (isRecord(value)) {
    for (const [name, attributes] of Object.entries(value)) {
      if (attributes !== null && !isRecord(attributes)) {
        throw new TopologyError(`nodes.${name}`, "must be a mapping of node attributes (or empty)");
      }
      nodes.set(name, { ...(attributes ?? {}), name });
    }
  }
  if (nodes.size === 0) throw new TopologyError("nodes", "Required topology element 'nodes' is missing or empty");
  return nodes;
}

function readGroups(value: unknown, nodes: Map<string, Attributes>): NetlabInput["groups"] {
  const groups: NetlabInput["groups"] = new Map();
  if (value === undefined || value === null) return groups;
  if (!isRecord(value)) throw new TopologyError("groups", "must be a mapping of group names");
  for (const [name, raw] of Object.entries(value)) {
    const definition = Array.isArray(raw) ? { members: raw } : isRecord(raw) ? raw : null;
    if (!definition) throw new TopologyError(`groups.${name}`, "must be a list of members or a mapping with members");
    const { members = [], ...attributes } = definition as { members?: unknown };
    if (!Array.isArray(members) || members.some((member) => typeof member !== "string")) {
      throw new TopologyError(`groups.${name}.members`, "must be a list of node names");
    }
    for (const member of members as string[]) {
      if (!nodes.has(member)) throw new TopologyError(`groups.${name}.members`, `'${member}' is not a node`);
    }
    groups.set(name, { members: members as string[], attributes });
  }
  return groups;
}

function readLinks(value: unknown, nodes: Map<string, Attributes>): NetlabInput["links"] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TopologyError("links", "must be a list of links");
  return value.map((entry, index) => {
    const field = `links[${index}]`;
    const link = readLink(entry, nodes, field);
    for (const node of link.nodes) if (!nodes.has(node)) throw new TopologyError(field, `'${node}' is not a node`);
    if (link.nodes.length === 0) throw new TopologyError(field, "attaches no node");
    return { field, ...link };
  });
}

function readLink(entry: unknown, nodes: Map<string, Attributes>, field: string): { nodes: string[]; attributes: Attributes } {
  if (typeof entry === "string") return { nodes: entry.split("-"), attributes: {} };
  if (Array.isArray(entry)) return { nodes: entry.map((item) => interfaceNode(item, field)), attributes: {} };
  if (!isRecord(entry)) throw new TopologyError(field, "must be a string (r1-r2), a list of nodes or a mapping");
  if (Array.isArray(entry.interfaces)) {
    const { interfaces, ...attributes } = entry;
    return { nodes: (interfaces as unknown[]).map((item) => interfaceNode(item, field)), attributes };
  }
  const attached = Object.keys(entry).filter((key) => nodes.has(key));
  for (const node of attached) {
    if (entry[node] !== null && !(isRecord(entry[node]) && Object.keys(entry[node] as Attributes).length === 0)) {
      throw new TopologyError(`${field}.${node}`, "interface attributes are outside the native runtime's netlab subset");
    }
  }
  return { nodes: attached, attributes: Object.fromEntries(Object.entries(entry).filter(([key]) => !nodes.has(key))) };
}

function interfaceNode(item: unknown, field: string): string {
  if (typeof item === "string") return item;
  if (isRecord(item) && typeof item.node === "string" && Object.keys(item).length === 1) return item.node;
  throw new TopologyError(field, "interfaces must be node names (interface attributes are outside the native runtime's netlab subset)");
}

export function isRecord(value: unknown): value is Attributes {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
