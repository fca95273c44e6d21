import { TopologyError } from "./topology-error.ts";
import { resolveLinks } from "./containerlab-links.ts";
import { resolveMgmt } from "./containerlab-mgmt.ts";
import { type ContainerlabTopology, DEFAULT_PREFIX } from "./containerlab-model.ts";
import { resolveNodes } from "./containerlab-nodes.ts";
import { topologyFileSchema } from "./containerlab-schema.ts";
import { topologyErrorFromIssues } from "./field-path.ts";
import { parseYamlSafely } from "./safe-yaml.ts";
import { notesForDefinitions, notesForFileLevel } from "./topology-notes.ts";

export type * from "./containerlab-model.ts";

/** containerlab's lab name pattern (`CL:schemas/clab.schema.json`). */
const LAB_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-._]*$/;
/** Prefixes end up in namespace names: "" and containerlab's `__lab-name` fit this too. */
const PREFIX = /^[a-zA-Z0-9-._]*$/;

export interface ParsedTopology {
  topology: ContainerlabTopology;
  /** One line per field the native runtime accepts but cannot honour, such as `nodes.r1.image "frr:10" is ignored: …`. */
  notes: string[];
}

/**
 * Validates a containerlab topology file for the native runtime. Pure and host-independent, so the
 * broker can refuse a bad upload before any host sees it. Throws TopologyError naming the field
 * (`links[2].endpoints[1]`, `mgmt.ipv4-subnet`; sections under `topology:` are named without that
 * prefix). Go templates and `${VAR}` substitution are not applied.
 */
export function parseContainerlabTopology(text: string): ParsedTopology {
  return readContainerlabTopology(parseYamlSafely(text));
}

/** Like parseContainerlabTopology, for a document already parsed from YAML or JSON. */
export function readContainerlabTopology(document: unknown): ParsedTopology {
  const parsed = topologyFileSchema.safeParse(document, { reportInput: true });
  if (!parsed.success) throw topologyErrorFromIssues(parsed.error.issues);
  const file = parsed.data;
  if (!LAB_NAME.test(file.name)) {
    throw new TopologyError(
      "name",
      `"${file.name}" is not a valid lab name: start with a letter or digit, then letters, digits, "-", "." or "_"`,
    );
  }
  const prefix = file.prefix ?? DEFAULT_PREFIX;
  if (!PREFIX.test(prefix)) {
    throw new TopologyError("prefix", `"${prefix}" may only hold letters, digits, "-", "." and "_": it becomes part of namespace names`);
  }

  const notes = [...notesForFileLevel(file), ...notesForDefinitions(file.topology)];
  const nodes = resolveNodes(file.topology, notes);
  const mgmt = resolveMgmt(file.mgmt, nodes);
  if (mgmt.bridge && nodes.some((node) => node.kind === "bridge" && node.name === mgmt.bridge)) {
    throw new TopologyError("mgmt.bridge", `"${mgmt.bridge}" is also the name of bridge node ${mgmt.bridge}`);
  }
  const links = resolveLinks(file.topology.links ?? [], nodes, mgmt.bridge, notes);
  return { topology: { name: file.name, prefix, mgmt, nodes, links }, notes };
}

/** A cheap shape check (an object with `topology.nodes`) to tell containerlab topologies from netlab ones. */
export function isContainerlabTopology(value: unknown): boolean {
  if (!isRecord(value) || !isRecord(value.topology)) return false;
  return isRecord(value.topology.nodes);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
