import type { LabBroker } from "../../client/broker.ts";
import { type CommandIo, ExitCode } from "../command.ts";
import { printJson } from "./client-command.ts";

/**
 * `session summary`: every job per host with PASS/FAIL (or the timeline), exit 1 when anything
 * failed, so a CI step can end on it.
 */
export async function printSessionSummary(
  broker: LabBroker,
  id: string,
  view: "hosts" | "chronological",
  json: boolean,
  io: CommandIo,
): Promise<number> {
  await using session = await broker.attach(id);
  const summary = await session.summary();
  if (json) printJson(io, summary);
  else io.stdout(await session.summaryText(view));
  const failed = summary.hosts.some((host) => host.jobs.some((job) => job.verdict === "FAIL")) ||
    summary.timeline.some((entry) => entry.verdict === "FAIL");
  return failed ? ExitCode.failed : ExitCode.ok;
}
