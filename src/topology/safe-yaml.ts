import { LineCounter, parseDocument } from "yaml";
import { TopologyError } from "./topology-error.ts";

export const MAX_TOPOLOGY_BYTES = 1024 * 1024;

/**
 * Parses an uploaded YAML document defensively: bounded size, no alias expansion beyond a small
 * budget (a "billion laughs" document fails instead of eating memory), no duplicate keys, no
 * custom tags. Errors name the line.
 */
export function parseYamlSafely(text: string, what = "topology"): unknown {
  if (text.length > MAX_TOPOLOGY_BYTES) throw new TopologyError(what, `is larger than ${MAX_TOPOLOGY_BYTES} bytes`);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    customTags: [],
    schema: "core",
    lineCounter,
  });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) {
    const line = lineCounter.linePos(problem.pos[0]).line;
    throw new TopologyError(what, `is not valid YAML (line ${line}): ${problem.message.split("\n")[0]}`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new TopologyError(what, `cannot be expanded safely: ${error instanceof Error ? error.message : String(error)}`);
  }
}
