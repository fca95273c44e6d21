import type { LabNodeInfo, LabView, OutputChunk } from "../../client/api-types.ts";
import { textTable } from "./text-table.ts";

/** A deploy or destroy log line, prefixed with its node when it has one. */
export function logLine(chunk: OutputChunk): string {
  const text = chunk.text.endsWith("\n") ? chunk.text : `${chunk.text}\n`;
  return chunk.node ? `[${chunk.node}] ${text}` : text;
}

export function labSummary(lab: LabView): string {
  const nodes = lab.nodes as LabNodeInfo[];
  const heading = `Lab ${lab.instance_name} ${lab.state} (${lab.runtime}, id ${lab.id}${lab.keep_warm ? ", keep warm" : ""})\n`;
  const notes = lab.notes.map((note) => `note: ${note}\n`).join("");
  if (nodes.length === 0) return heading + notes;
  return heading + notes +
    textTable(["NODE", "KIND", "STATE", "MGMT IPV4"], nodes.map((node) => [node.name, node.kind, node.state, node.mgmtIpv4 ?? "-"]));
}
