import { z } from "zod";
import type { RunResult } from "../command-runner.ts";
import { LabToolError } from "../lab-tool.ts";
import { parseToolJson } from "../tool-json.ts";

/**
 * `netlab status --format json` and its exit-code quirks: an error is `{"error": …}` with exit 0;
 * no labs at all is `{"warning": "No netlab-managed labs"}` with exit 1.
 */

const labRecord = z.looseObject({ dir: z.string(), status: z.string(), name: z.string().optional() });
const nodeStatus = z.looseObject({ status: z.string().optional() });
const statusReply = z.union([
  z.object({ error: z.string() }),
  z.object({ warning: z.string() }),
  labRecord.extend({ nodes: z.record(z.string(), nodeStatus) }),
  z.record(z.string(), labRecord),
]);

export type LabRecord = z.infer<typeof labRecord>;
export type NodeStatus = z.infer<typeof nodeStatus>;

/** One lab's record with per-node status; a lab netlab does not know (or that is not started) throws with netlab's words. */
export function parseLabStatus(result: RunResult, action: string): LabRecord & { nodes: Record<string, NodeStatus> } {
  const reply = parseReply(result, action);
  if ("nodes" in reply && typeof reply.dir === "string") return reply as LabRecord & { nodes: Record<string, NodeStatus> };
  throw new LabToolError(action, result, "netlab printed no lab status");
}

/** Every lab instance by id; "no labs" is an empty map, not an error. */
export function parseAllLabs(result: RunResult, action: string): Record<string, LabRecord> {
  if (result.code === 1 && isWarning(result.stdout)) return {};
  const reply = parseReply(result, action);
  if ("dir" in reply) throw new LabToolError(action, result, "netlab printed one lab where a list of labs was expected");
  return reply as Record<string, LabRecord>;
}

/** Docker's `Status` as netlab relays it ("Up 4 minutes", "Exited (0) …", "Unknown") → a LabNode state. */
export function nodeState(status: string | undefined): string {
  if (!status) return "unknown";
  if (/^Up\b.*\(Paused\)/.test(status)) return "paused";
  const match = /^(Up|Exited|Created|Restarting|Dead|Removal)\b/.exec(status);
  if (!match) return "unknown";
  return match[1] === "Up" ? "running" : match[1]!.toLowerCase();
}

function parseReply(result: RunResult, action: string): z.infer<typeof statusReply> {
  if (result.code !== 0 && !isWarning(result.stdout)) throw new LabToolError(action, result);
  const reply = parseToolJson(statusReply, result.stdout, action);
  if ("error" in reply && typeof reply.error === "string") throw new LabToolError(action, result, `netlab says: ${reply.error}`);
  if ("warning" in reply && typeof reply.warning === "string") throw new LabToolError(action, result, `netlab says: ${reply.warning}`);
  return reply;
}

function isWarning(stdout: string): boolean {
  try {
    return typeof (JSON.parse(stdout) as { warning?: unknown }).warning === "string";
  } catch {
    return false;
  }
}
