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
// `status` (and `name`) appear only once `netlab up` got past its probes: a failed probe leaves a
// record of `dir, providers, log_line, log, timestamp` (`NL:netsim/cli/__init__.py:390-399`, `up.py:352-364`).
const labRecord = z.looseObject({ dir: z.string(), status: z.string().optional(), name: z.string().optional() });
const nodeStatus = z.looseObject({ status: z.string().optional() });
const labStatus = labRecord.extend({ nodes: z.record(z.string(), nodeStatus) });
const allLabs = z.record(z.string(), labRecord);

export type NodeStatus = z.infer<typeof nodeStatus>;

/**
 * `netlab status` reads node states from `docker ps`, which lists running containers only; when a
 * node's container is not running it crashes on `None.get` (`NL:netsim/cli/status.py:179-180`,
 * `NL:netsim/providers/clab.py:388-405`) with this traceback and exit 1.
 */
const NODE_NOT_RUNNING_CRASH = "AttributeError: 'NoneType' object has no attribute 'get'";

/**
 * Per-node status of one lab; a lab netlab does not know (or that is not started) throws with
 * netlab's words. netlab's crash on a stopped node means no node's state is known: an empty map.
 */
export function parseNodeStatuses(result: RunResult, action: string): Record<string, NodeStatus> {
  if (result.code !== 0 && jsonOrNull(result.stdout) === null && result.stderr.includes(NODE_NOT_RUNNING_CRASH)) return {};
  return parseReply(result, action, labStatus).nodes;
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
