import type { z } from "zod";
import { TopologyError } from "./topology-error.ts";

const TOPOLOGY_SECTIONS = new Set(["defaults", "kinds", "groups", "nodes", "links"]);

/**
 * The field path users read in containerlab's docs: sections under `topology:` are named without
 * the `topology.` prefix (`nodes.r1.image`, `links[2].endpoints[1]`); keys at the top of the file
 * keep their names (`name`, `mgmt.ipv4-subnet`), as does anything else under `topology:`.
 */
export function fieldPath(path: readonly PropertyKey[]): string {
  const parts = path[0] === "topology" && typeof path[1] === "string" && TOPOLOGY_SECTIONS.has(path[1]) ? path.slice(1) : path;
  let text = "";
  for (const part of parts) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text || "topology file";
}

/** Turns the first zod issue into a TopologyError naming the field. */
export function topologyErrorFromIssues(issues: readonly z.core.$ZodIssue[], basePath: readonly PropertyKey[] = []): TopologyError {
  const issue = issues[0]!;
  const path = [...basePath, ...issue.path];
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    return new TopologyError(
      fieldPath([...path, key]),
      `is not a containerlab topology field (containerlab reads topology files strictly)`,
    );
  }
  if ((issue.code === "invalid_type" || issue.code === "invalid_union") && issue.input === undefined) {
    return new TopologyError(fieldPath(path), "is required");
  }
  if (issue.code === "invalid_type") {
    return new TopologyError(fieldPath(path), `must be ${yamlType(issue.expected)} (got ${describe(issue.input)})`);
  }
  // The only unions are scalar fields that take text, numbers or booleans, as Go's YAML decoder does.
  if (issue.code === "invalid_union") return new TopologyError(fieldPath(path), `must be a single value (got ${describe(issue.input)})`);
  return new TopologyError(fieldPath(path), issue.message);
}

/** zod's type names in the words of YAML. */
const YAML_TYPES: Record<string, string> = {
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
};

function yamlType(expected: string): string {
  return YAML_TYPES[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}
