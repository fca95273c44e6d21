import { readFileSync } from "node:fs";
import { parseYamlSafely } from "../../topology/safe-yaml.ts";

/**
 * Container (and network namespace) names of a containerlab lab. containerlab links every
 * container's netns to `/run/netns/<container name>`, so `ip netns exec <name>` reaches a node
 * without Docker access (`CL:utils/netlink.go:LinkContainerNS`).
 */

export interface ClabNaming {
  /** `name` in the file (an explicit `--name` overrides it at deploy). */
  name: string | null;
  prefix: string;
  nodes: string[];
}

/** Reads naming facts from a containerlab topology file (the user's, or netlab's rendered `clab.yml`). */
export function readClabNaming(topologyFile: string): ClabNaming {
  const topology = parseYamlSafely(readFileSync(topologyFile, "utf8"), topologyFile);
  const record = isRecord(topology) ? topology : {};
  const nodes = isRecord(record.topology) && isRecord(record.topology.nodes) ? Object.keys(record.topology.nodes) : [];
  return {
    name: typeof record.name === "string" ? record.name : null,
    prefix: typeof record.prefix === "string" ? record.prefix : "clab",
    nodes,
  };
}

/** `CL:core/config.go:nodeLongName`: `<prefix>-<lab>-<node>`; `""` gives the bare node name, `__lab-name` drops the prefix. */
export function containerName(prefix: string, lab: string, node: string): string {
  if (prefix === "") return node;
  if (prefix === "__lab-name") return `${lab}-${node}`;
  return `${prefix}-${lab}-${node}`;
}

/** The `ip netns exec` argv prefix for one node, refusing nodes the topology does not have. */
export function netnsExecPrefix(rootPrefix: readonly string[], naming: ClabNaming, lab: string, node: string): string[] {
  if (!naming.nodes.includes(node)) {
    throw new Error(`Cannot find node "${node}" in lab ${lab} (nodes: ${naming.nodes.join(", ") || "none"})`);
  }
  return [...rootPrefix, "ip", "netns", "exec", containerName(naming.prefix, lab, node)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
