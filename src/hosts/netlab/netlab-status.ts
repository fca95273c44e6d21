import { z } from "zod";
import type { RunResult } from "../command-runner.ts";
import { LabToolError } from "../lab-tool.ts";
import { jsonOrNull, parseToolJson } from "../tool-json.ts";

/**
 * `netlab status --format json` and its exit-code quirks: an error is `{"error": …}` with exit 0;
 * no labs at all is `{"warning": "No netlab-managed labs"}` with exit 1.
 */

const errorReply = z.object({ error: z.string() });
const warningReply = z.object({ warning: z.string() });
const labRecord = z.looseObject({ dir: z.string(), status: z.string(), name: z.string().optional() });
const nodeStatus = z.looseObject({ status: z.string().optional() });
const labStatus = labRecord.extend({ nodes: z.record(z.string(), nodeStatus) });
const allLabs = z.record(z.string(), labRecord);

export type NodeStatus = z.infer<typeof nodeStatus>;

/** One lab's record with per-node status; a lab netlab does not know (or that is not started) throws with netlab's words. */
export function parseLabStatus(result: RunResult, action: string): z.infer<typeof labStatus> {
  return parseReply(result, action, labStatus);
}

/** Every lab instance by id; "no labs" is an empty map, not an error. */
export function parseAllLabs(result: RunResult, action: string): z.infer<typeof allLabs> {
  if (result.code === 1 && warningReply.safeParse(jsonOrNull(result.stdout)).success) return {};
  return parseReply(result, action, allLabs);
}

/** Docker's `Status` as netlab relays it ("Up 4 minutes", "Exited (0) …", "Unknown") → a LabNode state. */
export function nodeState(status: string | undefined): string {
  if (!status) return "unknown";
  if (/^Up\b.*\(Paused\)/.test(status)) return "paused";
  const match = /^(Up|Exited|Created|Restarting|Dead|Removal)\b/.exec(status);
  if (!match) return "unknown";
  return match[1] === "Up" ? "running" : match[1]!.toLowerCase();
}

function parseReply<Schema extends z.ZodType>(result: RunResult, action: string, expected: Schema): z.infer<Schema> {
  const reply = jsonOrNull(result.stdout);
  const complaint = errorReply.safeParse(reply).data?.error ?? warningReply.safeParse(reply).data?.warning;
  if (complaint !== undefined) throw new LabToolError(action, result, `netlab says: ${complaint}`);
  if (result.code !== 0) throw new LabToolError(action, result);
  return parseToolJson(expected, result.stdout, action);
}
