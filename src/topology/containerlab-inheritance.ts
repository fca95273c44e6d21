import type { NodeDefinition, TopologyFile } from "./containerlab-schema.ts";

/**
 * containerlab's inheritance (`CL:types/topology.go`): scalars come from the node, else its group,
 * else its kind, else `defaults`; lists such as `exec` are concatenated defaults + kind + group +
 * node; maps such as `env` are merged with the more specific level winning.
 */

export interface DefinitionLayer {
  /** Where this level sits in the file: `nodes.r1`, `groups.routers`, `kinds.linux`, `defaults`. */
  field: string;
  definition: NodeDefinition;
}

export interface InheritedValue<T> {
  value: T;
  /** The field that set it, such as `groups.routers.image`. */
  field: string;
}

type ScalarKey = { [K in keyof NodeDefinition]-?: NonNullable<NodeDefinition[K]> extends string ? K : never }[keyof NodeDefinition];
type ListKey = { [K in keyof NodeDefinition]-?: NonNullable<NodeDefinition[K]> extends string[] ? K : never }[keyof NodeDefinition];
type MapKey = {
  [K in keyof NodeDefinition]-?: NonNullable<NodeDefinition[K]> extends Record<string, string> ? K : never;
}[keyof NodeDefinition];

/** The levels that apply to a node, most specific first. */
export function definitionLayers(topology: TopologyFile["topology"], nodeName: string): DefinitionLayer[] {
  const node = topology.nodes[nodeName] ?? {};
  const defaults = topology.defaults ?? {};
  const kind = inheritedKind(topology, nodeName)?.value;
  const group = nodeGroupName(topology, nodeName, kind);
  const layers: DefinitionLayer[] = [{ field: `nodes.${nodeName}`, definition: node }];
  const groupDefinition = group ? topology.groups?.[group] : undefined;
  if (group && groupDefinition) layers.push({ field: `groups.${group}`, definition: groupDefinition });
  const kindDefinition = kind ? topology.kinds?.[kind] : undefined;
  if (kind && kindDefinition) layers.push({ field: `kinds.${kind}`, definition: kindDefinition });
  layers.push({ field: "defaults", definition: defaults });
  return layers;
}

export function inheritedScalar(layers: readonly DefinitionLayer[], key: ScalarKey): InheritedValue<string> | null {
  for (const layer of layers) {
    const value = layer.definition[key];
    if (value) return { value, field: `${layer.field}.${key}` };
  }
  return null;
}

/** Least specific level first, exact duplicates dropped keeping the first occurrence. */
export function inheritedList(layers: readonly DefinitionLayer[], key: ListKey): string[] {
  const merged = [...layers].reverse().flatMap((layer) => layer.definition[key] ?? []);
  return [...new Set(merged)];
}

export function inheritedMap(layers: readonly DefinitionLayer[], key: MapKey): Record<string, string> {
  return Object.assign({}, ...[...layers].reverse().map((layer) => layer.definition[key] ?? {}));
}

/** `GetNodeKind`: the node's kind, else its own group's kind, else the default group's kind, else the default kind. */
export function inheritedKind(topology: TopologyFile["topology"], nodeName: string): InheritedValue<string> | null {
  const node = topology.nodes[nodeName];
  const candidates: [string | null | undefined, string][] = [[node?.kind, `nodes.${nodeName}.kind`]];
  for (const group of [node?.group, topology.defaults?.group]) {
    if (group) candidates.push([topology.groups?.[group]?.kind, `groups.${group}.kind`]);
  }
  candidates.push([topology.defaults?.kind, "defaults.kind"]);
  const found = candidates.find(([value]) => value);
  return found ? { value: found[0]!, field: found[1] } : null;
}

/** `GetNodeGroup`: the node's group, else its kind's group, else the default group. */
function nodeGroupName(topology: TopologyFile["topology"], nodeName: string, kind: string | undefined): string | undefined {
  const node = topology.nodes[nodeName];
  return node?.group || (kind ? topology.kinds?.[kind]?.group : undefined) || topology.defaults?.group || undefined;
}
