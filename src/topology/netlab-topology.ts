import { TopologyError } from "./topology-error.ts";
import { parseYamlSafely } from "./safe-yaml.ts";

/**
 * Host-free checks of netlab topology files, so the broker can refuse a bad upload before a host
 * spends minutes on `netlab up`, and route a lab to the right runtime.
 */

export interface NetlabTopologySummary {
  /** The `name` element; null when absent (netlab then derives the name from the lab folder). */
  name: string | null;
  nodes: string[];
  /** `provider`, else `defaults.provider`, else netlab's own default `libvirt`. */
  provider: string;
}

// netlab validates node names as identifiers of at most 16 characters (they end up in interface
// and container names, which have tight length limits).
const NODE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const NODE_NAME_MAX_LENGTH = 16;
const NETLAB_DEFAULT_PROVIDER = "libvirt";

export function parseNetlabTopology(text: string): NetlabTopologySummary {
  const topology = parseYamlSafely(text);
  if (!isRecord(topology)) throw new TopologyError("topology", "must be a YAML mapping of topology elements");

  const name = lookupElement(topology, ["name"]);
  if (name !== undefined && typeof name !== "string") throw new TopologyError("name", "must be a string");

  const provider = lookupElement(topology, ["provider"]) ?? lookupElement(topology, ["defaults", "provider"]) ?? NETLAB_DEFAULT_PROVIDER;
  if (typeof provider !== "string" || provider === "") {
    throw new TopologyError("provider", "must be a provider name such as clab or libvirt");
  }

  return { name: name ?? null, nodes: nodeNames(topology.nodes), provider };
}

/**
 * Tells the two topology dialects apart: containerlab keeps its nodes under `topology.nodes` and
 * requires `name`; netlab has a top-level `nodes` element. Anything else (or both) is neither.
 */
export function detectTopologyKind(value: unknown): "netlab" | "containerlab" | null {
  if (!isRecord(value)) return null;
  const looksLikeContainerlab = typeof value.name === "string" && isRecord(value.topology) && isRecord(value.topology.nodes);
  const looksLikeNetlab = value.nodes !== undefined && value.nodes !== null;
  if (looksLikeContainerlab === looksLikeNetlab) return null;
  return looksLikeContainerlab ? "containerlab" : "netlab";
}

function nodeNames(nodes: unknown): string[] {
  const names = Array.isArray(nodes) ? namesFromList(nodes) : isRecord(nodes) ? namesFromMapping(nodes) : [];
  if (names.length === 0) throw new TopologyError("nodes", "Required topology element 'nodes' is missing or empty");
  for (const name of names) checkNodeName(name);
  return names;
}

function namesFromMapping(nodes: Record<string, unknown>): string[] {
  for (const [name, attributes] of Object.entries(nodes)) {
    if (attributes !== null && !isRecord(attributes)) {
      throw new TopologyError(`nodes.${name}`, "must be a mapping of node attributes (or empty)");
    }
  }
  return Object.keys(nodes);
}

function namesFromList(nodes: unknown[]): string[] {
  const names: string[] = [];
  nodes.forEach((entry, index) => {
    const name = typeof entry === "string" ? entry : isRecord(entry) ? entry.name : undefined;
    if (typeof name !== "string") throw new TopologyError(`nodes[${index}]`, "must be a node name or a mapping with a 'name'");
    if (names.includes(name)) throw new TopologyError(`nodes[${index}]`, `node '${name}' is listed more than once`);
    names.push(name);
  });
  return names;
}

function checkNodeName(name: string): void {
  if (name.length > NODE_NAME_MAX_LENGTH) {
    throw new TopologyError(`nodes.${name}`, `node name is longer than ${NODE_NAME_MAX_LENGTH} characters`);
  }
  if (!NODE_NAME_PATTERN.test(name)) {
    throw new TopologyError(`nodes.${name}`, "node name must start with a letter or '_' and contain only letters, digits, '_' and '-'");
  }
}

/**
 * Reads an element that netlab lets users write nested (`defaults: {provider: clab}`), dotted
 * (`defaults.provider: clab`) or mixed (`defaults.providers: {clab: …}`).
 */
function lookupElement(record: Record<string, unknown>, path: readonly string[]): unknown {
  for (let length = path.length; length >= 1; length--) {
    const key = path.slice(0, length).join(".");
    if (!(key in record)) continue;
    const value = record[key];
    if (length === path.length) return value;
    if (!isRecord(value)) continue;
    const found = lookupElement(value, path.slice(length));
    if (found !== undefined) return found;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
