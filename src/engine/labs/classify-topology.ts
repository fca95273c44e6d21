import { sha256Hex } from "../../sha256.ts";
import { TopologyError } from "../../topology/topology-error.ts";
import { readContainerlabTopology } from "../../topology/containerlab-topology.ts";
import { readNetlabInput } from "../../topology/netlab/netlab-input.ts";
import { unsupportedNetlabKeys } from "../../topology/netlab/netlab-subset.ts";
import { detectTopologyKind, parseNetlabTopology } from "../../topology/netlab-topology.ts";
import { parseYamlSafely } from "../../topology/safe-yaml.ts";
import { LAB_NAME, LAB_NAME_RULE } from "../../validation/text.ts";

export interface LabUpload {
  /** File name of the topology as uploaded (kept next to the extra files). */
  topologyFile: string;
  topology: Uint8Array;
  /** Extra files with relative paths (already checked to stay inside the lab folder). */
  extraFiles: { path: string; content: Uint8Array }[];
}

export interface ClassifiedTopology {
  kind: "containerlab" | "netlab";
  name: string;
  nodes: string[];
  /** What the native runtime would not honour, said up front. */
  notes: string[];
  /** The topology file's SHA-256 (the Remote Lab's lab identity; extra files are compared apart). */
  hash: string;
  /** For a netlab topology: what keeps the native runtime from building it (empty when it fits its subset). */
  outsideNativeSubset: string[];
}

const TOPOLOGY_EXTENSION = /\.ya?ml$/i;

/** Validates an upload without touching any host; a bad topology throws TopologyError naming the field. */
export function classifyTopology(upload: LabUpload): ClassifiedTopology {
  if (!TOPOLOGY_EXTENSION.test(upload.topologyFile)) {
    throw new TopologyError("topology", `file "${upload.topologyFile}" must end in .yml or .yaml`);
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(upload.topology);
  const document = parseYamlSafely(text);
  const kind = detectTopologyKind(document);
  const hash = sha256Hex(upload.topology);
  if (kind === "containerlab") {
    const { topology, notes } = readContainerlabTopology(document);
    requireLabName(topology.name);
    // Namespace and container names carry the lab's instance, so labs of different sessions on one host never share a name.
    if (topology.prefix === "") {
      throw new TopologyError("prefix", 'must not be empty: node names would lose the lab instance (use "__lab-name" for <lab>-<node>)');
    }
    return { kind, name: topology.name, nodes: topology.nodes.map((node) => node.name), notes, hash, outsideNativeSubset: [] };
  }
  if (kind === "netlab") {
    const summary = parseNetlabTopology(text);
    const stem = upload.topologyFile.replace(TOPOLOGY_EXTENSION, "").replace(/[^A-Za-z0-9-]/g, "").slice(0, 12) || "lab";
    const name = summary.name ?? stem;
    requireLabName(name);
    return { kind, name, nodes: summary.nodes, notes: [], hash, outsideNativeSubset: outsideNativeSubset(document) };
  }
  throw new TopologyError("topology", "is neither a containerlab topology (name + topology.nodes) nor a netlab topology (nodes)");
}

/** Keys of a netlab topology the native runtime cannot build as netlab would (netlab itself may still take them). */
function outsideNativeSubset(document: unknown): string[] {
  try {
    return unsupportedNetlabKeys(readNetlabInput(document));
  } catch (error) {
    if (error instanceof TopologyError) return [error.message];
    throw error;
  }
}

function requireLabName(name: string): void {
  const shown = name.length > 80 ? `${name.slice(0, 80)}…` : name;
  if (!LAB_NAME.test(name)) throw new TopologyError("name", `"${shown}" is not a usable lab name: ${LAB_NAME_RULE}`);
}
